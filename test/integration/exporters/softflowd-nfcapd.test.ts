import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../functions/shared/detection/finding.js';
import { runCli } from '../../helpers/run-cli.js';
import {
  csvSummaryFlows,
  exportWithSoftflowd,
  NFDUMP,
  NFDUMP_DEBIAN_13,
  nfdumpStatFlows,
  nfdumpVersion,
  runTool,
} from './flow-tools.js';
import {
  buildHospitalCapture,
  CAPTURE_START_US,
  HOSPITAL_CONFIG,
  HOSTS,
  type HospitalCapture,
  RDP_SWEEP_TARGETS,
  SCAN_STARTS_US,
  SMB_SWEEP_TARGETS,
  VERTICAL_SCAN_PORTS,
} from './hospital-capture.js';
import { NfcapdCollector } from './nfcapd-collector.js';

/**
 * Issue #6, part 3: real on-prem exporters. A pcap built here (normal hospital traffic and two
 * port scans) goes through Debian's softflowd as NetFlow v9 and as IPFIX to two nfcapd on
 * 127.0.0.1; nfdump renders the collected files as CSV; `wardflow ingest` and `wardflow detect`
 * run on that CSV exactly as a user would run them. Needs `install.sh` (softflowd, nfdump).
 */

const EXPORTS = [
  { name: 'NetFlow v9', version: 9 },
  { name: 'IPFIX', version: 10 },
] as const;
type Version = (typeof EXPORTS)[number]['version'];

/** Hosts of the capture that do only ordinary work: none of them may be reported as a scanner. */
const NORMAL_HOSTS: readonly string[] = [
  ...HOSTS.workstations,
  HOSTS.workstationV6,
  HOSTS.dns,
  HOSTS.dnsV6,
  HOSTS.ehr,
  HOSTS.ehrV6,
  ...HOSTS.internet,
  HOSTS.labAnalyzer,
  HOSTS.interfaceEngine,
  HOSTS.ctScanner,
  HOSTS.pacs,
  HOSTS.monitor,
];

/** What `wardflow ingest --json` prints (the fields asserted here). */
interface IngestSummary {
  readonly records_in: number;
  readonly records_written: number;
  readonly records_quarantined: number;
  readonly records_skipped: number;
  readonly files: readonly { readonly variant: string; readonly error: string | null }[];
}

/** One rendering of one export, ingested into its own lake. */
interface Ingested {
  readonly csv: string;
  readonly lake: string;
  readonly summary: IngestSummary;
}

const iso = (us: number) => new Date(us / 1000).toISOString();

/** Renderings of nfdump 1.7.5 and the parser variant each must be recognised as. */
const RENDERINGS_1_7_5 = [
  { format: 'csv', name: 'csv-1.7.5', variant: 'nfdump-csv-default' },
  {
    format: 'csv:%ts,%te,%pr,%sa,%sp,%da,%dp,%flg,%ipkt,%ibyt,%opkt,%obyt',
    name: 'tokens-1.7.5',
    variant: 'nfdump-csv-tokens',
  },
  { format: 'csv-fast', name: 'csv-fast-1.7.5', variant: 'nfdump-csv-fast' },
] as const;

describe('Exporters: softflowd → nfcapd → nfdump CSV → wardflow', () => {
  let work = '';
  let config = '';
  let capture: HospitalCapture;
  const collectors = new Map<Version, NfcapdCollector>();
  const recordsSent = new Map<Version, number>();
  const ingested = new Map<string, Ingested>();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'wardflow-exporters-'));
    capture = buildHospitalCapture();
    const pcap = join(work, 'hospital.pcap');
    writeFileSync(pcap, capture.pcap);
    config = join(work, 'wardflow.json');
    writeFileSync(config, JSON.stringify(HOSPITAL_CONFIG));
    for (const { version } of EXPORTS) {
      const dir = join(work, `nfcapd-v${version}`);
      mkdirSync(dir);
      collectors.set(version, await NfcapdCollector.start(dir));
    }
    for (const { version } of EXPORTS) {
      const collector = collectors.get(version) as NfcapdCollector;
      recordsSent.set(version, exportWithSoftflowd(pcap, collector.port, version));
    }
    for (const collector of collectors.values()) await collector.stop();
  });

  afterAll(() => {
    for (const collector of collectors.values()) collector.kill();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /**
   * Renders the collector's files with `<nfdump> -R <dir> -o <format>` and ingests the CSV once.
   */
  function ingest(version: Version, format: string, name: string, nfdump = NFDUMP): Ingested {
    const key = `${version} ${name}`;
    const done = ingested.get(key);
    if (done) return done;
    const dir = (collectors.get(version) as NfcapdCollector).dir;
    const render = runTool(nfdump, ['-R', dir, '-o', format]);
    expect(render.status, render.stderr).toBe(0);
    const csv = join(work, `v${version}-${name}.csv`);
    writeFileSync(csv, render.stdout);
    const lake = join(work, `lake-v${version}-${name}`);
    const run = runCli(['ingest', csv, '--lake', lake, '--config', config, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const result = { csv: render.stdout, lake, summary: JSON.parse(run.stdout) as IngestSummary };
    ingested.set(key, result);
    return result;
  }

  function detect(lake: string): Finding[] {
    const run = runCli(['detect', '--lake', lake, '--config', config, '--format', 'json']);
    expect(run.status, run.stderr).toBe(0);
    return run.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Finding);
  }

  describe.each(EXPORTS)('$name (softflowd -v $version)', ({ version }) => {
    it('stores every flow of the capture in nfcapd files', () => {
      // Act
      const stored = nfdumpStatFlows((collectors.get(version) as NfcapdCollector).dir);

      // Assess: softflowd sent one record per direction of each flow, nfcapd kept them all.
      expect(recordsSent.get(version)).toBe(capture.directedFlows);
      expect(stored).toBe(recordsSent.get(version));
    });

    it('ingests nfdump -o csv with as many records as nfdump counts, none quarantined', () => {
      // Prepare
      const counted = nfdumpStatFlows((collectors.get(version) as NfcapdCollector).dir);

      // Act
      const { csv, summary } = ingest(version, 'csv', 'csv');

      // Assess
      expect(csvSummaryFlows(csv)).toBe(counted);
      expect(summary.files.map((file) => [file.variant, file.error])).toEqual([
        ['nfdump-legacy-48', null],
      ]);
      expect(summary).toMatchObject({
        records_in: counted,
        records_written: counted,
        records_quarantined: 0,
        records_skipped: 0,
      });
    });

    it('finds both scanners with the scans they made, and no scan by the other hosts', () => {
      // Prepare
      const { lake } = ingest(version, 'csv', 'csv');

      // Act
      const scans = detect(lake).filter((f) => f.detection_id.startsWith('port-scan-'));

      // Assess
      const flagged = scans.map((f) => f.src_ip);
      expect(flagged.filter((ip) => NORMAL_HOSTS.includes(ip as string))).toEqual([]);
      expect(new Set(flagged)).toEqual(new Set([HOSTS.internalScanner, HOSTS.externalScanner]));
      const byKey = (id: string, src: string, port: number | null) =>
        scans.filter((f) => f.detection_id === id && f.src_ip === src && f.dst_port === port);
      expect(byKey('port-scan-vertical', HOSTS.internalScanner, null)).toEqual([
        expect.objectContaining({
          dst_ip: HOSTS.ehr,
          metrics: expect.objectContaining({ distinct_ports: VERTICAL_SCAN_PORTS.length }),
        }),
      ]);
      // The vertical scan's probe of 445 on the EHR server counts for the sweep too.
      const smbHosts = new Set([
        ...SMB_SWEEP_TARGETS,
        ...(VERTICAL_SCAN_PORTS.includes(445) ? [HOSTS.ehr] : []),
      ]);
      expect(byKey('port-scan-horizontal', HOSTS.internalScanner, 445)).toEqual([
        expect.objectContaining({
          src_zone: 'workstations',
          metrics: expect.objectContaining({ distinct_hosts: smbHosts.size }),
        }),
      ]);
      // Legacy CSV times have whole seconds; the sweep starts on a whole minute.
      expect(byKey('port-scan-horizontal', HOSTS.externalScanner, 3389)).toEqual([
        expect.objectContaining({
          src_zone: 'external',
          severity: 'low',
          first_seen: iso(SCAN_STARTS_US.rdpSweep),
          metrics: expect.objectContaining({
            distinct_hosts: RDP_SWEEP_TARGETS.length,
            failed_hosts: RDP_SWEEP_TARGETS.length,
          }),
        }),
      ]);
      for (const finding of scans) {
        expect(finding.window_start >= iso(CAPTURE_START_US), finding.window_start).toBe(true);
        expect(finding.window_end <= iso(CAPTURE_START_US + 3600e6), finding.window_end).toBe(true);
      }
    });
  });

  /**
   * The same nfcapd files rendered by Debian 13's nfdump 1.7.5 (install.sh unpacks it), whose CSV
   * families Debian 12's nfdump 1.7.1 does not have: the 10-column default `-o csv` (camelCase
   * names, millisecond times, no trailer), an explicit `-o csv:%tok,…` layout, and `-o csv-fast`
   * (epoch milliseconds). nfdump 1.7.5 reads the files nfcapd 1.7.1 wrote.
   */
  describe.each(EXPORTS)('nfdump 1.7.5 renderings of $name', ({ version }) => {
    it('has Debian 13 nfdump 1.7.5 or later to render with', () => {
      const [major, minor, patch] = nfdumpVersion(NFDUMP_DEBIAN_13);
      expect(major > 1 || (major === 1 && (minor > 7 || (minor === 7 && patch >= 5)))).toBe(true);
    });

    it.each(RENDERINGS_1_7_5)(
      'ingests -o $format with as many records as nfdump counts, none quarantined',
      ({ format, name, variant }) => {
        // Prepare
        const counted = nfdumpStatFlows((collectors.get(version) as NfcapdCollector).dir);

        // Act
        const { summary } = ingest(version, format, name, NFDUMP_DEBIAN_13);

        // Assess
        expect(summary.files.map((file) => [file.variant, file.error])).toEqual([[variant, null]]);
        expect(summary).toMatchObject({
          records_in: counted,
          records_written: counted,
          records_quarantined: 0,
          records_skipped: 0,
        });
      },
    );

    it.each(RENDERINGS_1_7_5)(
      'finds the same scans in the -o $format rendering as in the legacy CSV',
      ({ format, name }) => {
        // Prepare
        const legacy = detect(ingest(version, 'csv', 'csv').lake);
        const { lake } = ingest(version, format, name, NFDUMP_DEBIAN_13);

        // Act
        const findings = detect(lake);

        // Assess: the same scanners, targets and counts (times differ: legacy CSV has seconds).
        const scans = (list: readonly Finding[]) =>
          list
            .filter((f) => f.detection_id.startsWith('port-scan-'))
            .map((f) => ({
              detection_id: f.detection_id,
              src_ip: f.src_ip,
              dst_ip: f.dst_ip,
              dst_port: f.dst_port,
              severity: f.severity,
              distinct_hosts: f.metrics.distinct_hosts,
              distinct_ports: f.metrics.distinct_ports,
            }))
            .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        expect(scans(findings).length).toBeGreaterThanOrEqual(3);
        expect(scans(findings)).toEqual(scans(legacy));
      },
    );
  });
});
