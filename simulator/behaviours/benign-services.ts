import type { Connection } from '../connection.js';
import type { HospitalNetwork, Host } from '../network.js';
import { hashText, mix32, type Prng, prngStream } from '../prng.js';
import type { ServiceSpec } from '../profile.js';
import { SLOT_MS } from '../recorder.js';
import { activity } from '../rhythm.js';
import { makeConnection, serviceOf } from '../traffic.js';

interface PreparedService {
  readonly spec: ServiceSpec;
  readonly rng: Prng;
  readonly sources: readonly Host[];
  readonly peers: readonly (Host | string)[];
  readonly salt: number;
  readonly proto: 6 | 17;
  readonly zeekService: string | null;
}

/**
 * The steady benign traffic of the profile's `services`: clients and servers, DNS and directory,
 * clinical systems, device telemetry, update and check-in traffic to the Internet. Each service
 * draws from its own random stream.
 */
export class BenignServices {
  private readonly services: PreparedService[];

  public constructor(
    private readonly network: HospitalNetwork,
    seed: number,
    private readonly runEnd: number,
  ) {
    this.services = network.profile.services.map((spec) => {
      const proto = spec.proto === 'tcp' ? 6 : 17;
      return {
        spec,
        rng: prngStream(seed, `service:${spec.name}`),
        sources: network.role(spec.from),
        peers: spec.to.startsWith('ext:') ? network.pool(spec.to.slice(4)) : network.role(spec.to),
        salt: hashText(spec.name),
        proto,
        zeekService: spec.service ?? serviceOf(spec.port, proto),
      } satisfies PreparedService;
    });
  }

  /** Emits every connection that starts in the slot beginning at `slotStart`. */
  public generateSlot(slotStart: number, emit: (c: Connection) => void): void {
    for (const s of this.services) {
      if (s.peers.length === 0) continue;
      const level = activity(s.spec.rhythm, slotStart + SLOT_MS / 2);
      switch (s.spec.kind) {
        case 'poisson':
          this.poisson(s, slotStart, level, emit);
          break;
        case 'periodic':
          this.periodic(s, slotStart, level, emit);
          break;
        case 'session':
          this.session(s, slotStart, level, emit);
          break;
      }
    }
  }

  /** The peer a source usually talks to for this service. */
  private usualPeer(s: PreparedService, src: Host): Host | string {
    return s.peers[mix32(src.index ^ s.salt) % s.peers.length] as Host | string;
  }

  private poisson(
    s: PreparedService,
    slotStart: number,
    level: number,
    emit: (c: Connection) => void,
  ): void {
    const spec = s.spec;
    const lambda = ((spec.per_hour ?? 1) / 12) * level;
    const sticky = spec.sticky ?? 0.8;
    const sigma = spec.sigma ?? 1;
    for (const src of s.sources) {
      const n = s.rng.poisson(lambda);
      for (let i = 0; i < n; i++) {
        const peer = s.rng.chance(sticky) ? this.usualPeer(s, src) : s.rng.pick(s.peers);
        if (peer === src) continue;
        const out = s.rng.lognormal(spec.out_bytes, sigma);
        const inb = s.rng.lognormal(spec.in_bytes, sigma);
        const start = slotStart + s.rng.int(SLOT_MS);
        emit(
          spec.inbound
            ? this.connect(s, start, peer, src, out, inb)
            : this.connect(s, start, src, peer, out, inb),
        );
      }
    }
  }

  private periodic(
    s: PreparedService,
    slotStart: number,
    level: number,
    emit: (c: Connection) => void,
  ): void {
    const spec = s.spec;
    const period = (spec.period_s ?? 300) * 1000;
    const jitter = spec.jitter ?? 0.05;
    for (const src of s.sources) {
      const phase = mix32(src.index ^ s.salt) % period;
      let k = Math.ceil((slotStart - phase) / period);
      for (let t = phase + k * period; t < slotStart + SLOT_MS; t = phase + ++k * period) {
        // Machines that are off or asleep skip their check-ins; those that run keep the beat.
        if (level < 1 && !s.rng.chance(level)) continue;
        const start = Math.max(
          slotStart,
          Math.min(
            slotStart + SLOT_MS - 1,
            Math.round(t + (s.rng.float() * 2 - 1) * jitter * period),
          ),
        );
        const out = s.rng.lognormal(spec.out_bytes, spec.sigma ?? 0.2);
        const inb = s.rng.lognormal(spec.in_bytes, spec.sigma ?? 0.2);
        emit(this.connect(s, start, src, this.usualPeer(s, src), out, inb));
      }
    }
  }

  private session(
    s: PreparedService,
    slotStart: number,
    level: number,
    emit: (c: Connection) => void,
  ): void {
    const spec = s.spec;
    const length = (spec.session_s ?? 3600) * 1000;
    for (const src of s.sources) {
      const phase = mix32(src.index ^ s.salt) % length;
      let k = Math.ceil((slotStart - phase) / length);
      for (let t = phase + k * length; t < slotStart + SLOT_MS; t = phase + ++k * length) {
        if (level < 1 && !s.rng.chance(level)) continue;
        const duration = length - 1000 - s.rng.int(5000);
        const hours = duration / 3_600_000;
        const scale = Math.max(level, 0.05) * hours;
        const out = spec.out_bytes * scale * (0.8 + 0.4 * s.rng.float());
        const inb = spec.in_bytes * scale * (0.8 + 0.4 * s.rng.float());
        const c = makeConnection(
          this.network,
          s.rng,
          {
            start: t,
            duration,
            src,
            dst: this.usualPeer(s, src),
            dstPort: spec.port,
            proto: s.proto,
            outBytes: out,
            inBytes: inb,
            service: s.zeekService,
            // Telemetry streams: one datagram a second each way.
            outPackets: Math.max(1, Math.round(duration / 1000)),
            inPackets: Math.max(1, Math.round(duration / 4000)),
          },
          this.runEnd,
        );
        emit(c);
      }
    }
  }

  private connect(
    s: PreparedService,
    start: number,
    src: Host | string,
    peer: Host | string,
    out: number,
    inb: number,
  ): Connection {
    const spec = s.spec;
    const transfer = ((out + inb) / ((spec.mbps ?? 50) * 1e6)) * 1000;
    const duration = Math.max(s.rng.lognormal(spec.duration_s * 1000, 0.8), transfer);
    return makeConnection(
      this.network,
      s.rng,
      {
        start,
        duration,
        src,
        dst: peer,
        dstPort: spec.port,
        proto: s.proto,
        outBytes: out,
        inBytes: inb,
        service: s.zeekService,
      },
      this.runEnd,
    );
  }
}
