import type { Connection } from '../connection.js';
import { hostAddress, parseIpv4Block } from '../ipv4.js';
import type { HospitalNetwork, Host } from '../network.js';
import { prngStream } from '../prng.js';
import { makeConnection } from '../traffic.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Benign jobs that look like attacks on purpose: nightly backups (large internal transfers),
 * vulnerability scanner runs from the allowlisted scanner, software deployments that fan out over
 * SMB, and hosts reaching legitimately new external destinations.
 *
 * @returns every job connection of the run, sorted by start
 */
export function scheduledJobs(
  network: HospitalNetwork,
  seed: number,
  runStart: number,
  runEnd: number,
): Connection[] {
  const jobs = network.profile.jobs;
  const out: Connection[] = [];
  const firstDay = Math.floor(runStart / DAY);
  const lastDay = Math.floor((runEnd - 1) / DAY);
  const inRun = (t: number) => t >= runStart && t < runEnd;
  for (let day = firstDay; day <= lastDay; day++) {
    const midnight = day * DAY;
    const weekday = (day + 4) % 7;

    const backup = prngStream(seed, `job:backup:${day}`);
    const server = network.role(jobs.backup.server_role)[0];
    if (server) {
      for (const role of jobs.backup.client_roles) {
        for (const client of network.role(role)) {
          const start = midnight + jobs.backup.hour * HOUR + backup.int(jobs.backup.hours * HOUR);
          if (!inRun(start)) continue;
          const bytes = backup.lognormal(jobs.backup.median_gb * 1e9, 0.7);
          // Backup agents stream at ~100 MB/s on the data-centre network.
          out.push(
            makeConnection(
              network,
              backup,
              {
                start,
                duration: (bytes / 100e6) * 1000,
                src: server,
                dst: client,
                dstPort: jobs.backup.port,
                proto: 6,
                outBytes: 2e4,
                inBytes: bytes,
              },
              runEnd,
            ),
          );
        }
      }
    }

    const scanner = network.role(jobs.scanner.role)[0];
    if (scanner && jobs.scanner.weekdays.includes(weekday)) {
      const rng = prngStream(seed, `job:scanner:${day}`);
      const targets: Host[] = network.hosts.filter(
        (h) => jobs.scanner.target_zones.includes(h.zone.spec.name) && h !== scanner,
      );
      const span = jobs.scanner.minutes * 60_000;
      const begin = midnight + jobs.scanner.hour * HOUR;
      targets.forEach((target, i) => {
        const at = begin + Math.floor((span * i) / Math.max(1, targets.length));
        for (const port of jobs.scanner.ports) {
          const start = at + rng.int(20_000);
          if (!inRun(start)) continue;
          out.push(
            makeConnection(
              network,
              rng,
              {
                start,
                duration: 200 + rng.int(800),
                src: scanner,
                dst: target,
                dstPort: port,
                proto: 6,
                outBytes: 300 + rng.int(2000),
                inBytes: 200 + rng.int(4000),
              },
              runEnd,
            ),
          );
        }
      });
    }

    const deployer = network.role(jobs.deployment.server_role)[0];
    if (deployer && jobs.deployment.weekdays.includes(weekday)) {
      const rng = prngStream(seed, `job:deployment:${day}`);
      const begin = midnight + jobs.deployment.hour * HOUR;
      for (const target of network.role(jobs.deployment.target_role)) {
        if (!rng.chance(jobs.deployment.share)) continue;
        const start = begin + rng.int(jobs.deployment.minutes * 60_000);
        if (!inRun(start)) continue;
        // The agent is contacted over RPC, then the package is pushed over SMB.
        out.push(
          makeConnection(
            network,
            rng,
            {
              start,
              duration: 300,
              src: deployer,
              dst: target,
              dstPort: 135,
              proto: 6,
              outBytes: 1200,
              inBytes: 900,
            },
            runEnd,
          ),
        );
        const bytes = rng.lognormal(80e6, 0.5);
        out.push(
          makeConnection(
            network,
            rng,
            {
              start: start + 1000,
              duration: (bytes / 40e6) * 1000,
              src: deployer,
              dst: target,
              dstPort: 445,
              proto: 6,
              outBytes: bytes,
              inBytes: 2e4,
            },
            runEnd,
          ),
        );
      }
    }

    const fresh = prngStream(seed, `job:new-destinations:${day}`);
    const candidates = jobs.new_destinations.roles.flatMap((r) => network.role(r));
    const block = parseIpv4Block(jobs.new_destinations.cidr);
    for (let i = 0; i < jobs.new_destinations.per_day && candidates.length > 0; i++) {
      const src = fresh.pick(candidates);
      const dst = hostAddress(
        block,
        ((day % 20) * jobs.new_destinations.per_day + i) % Math.max(1, block.size - 12),
        0,
      );
      const first = midnight + (8 + fresh.int(9)) * HOUR + fresh.int(HOUR);
      const visits = 2 + fresh.int(8);
      for (let v = 0; v < visits; v++) {
        const start = first + v * fresh.int(20 * 60_000);
        if (!inRun(start)) continue;
        out.push(
          makeConnection(
            network,
            fresh,
            {
              start,
              duration: 500 + fresh.int(20_000),
              src,
              dst,
              dstPort: jobs.new_destinations.port,
              proto: 6,
              outBytes: fresh.lognormal(3000, 1),
              inBytes: fresh.lognormal(60_000, 1.2),
              service: 'ssl',
            },
            runEnd,
          ),
        );
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
