import { stringify } from 'yaml';
import { parseConfig, type WardflowConfig } from '../functions/shared/config.js';
import type { HospitalNetwork } from './network.js';

/**
 * The wardflow configuration that matches the generated network: its zones, a segmentation
 * policy (guest Wi-Fi may reach no internal zone), the scanner on the allowlist, and the
 * threat-intel list. It is validated with wardflow's own `parseConfig` before it is written.
 *
 * @returns the YAML text and the validated configuration
 */
export function wardflowConfigFor(network: HospitalNetwork): {
  yaml: string;
  config: WardflowConfig;
} {
  const profile = network.profile;
  const zones = profile.zones.map((z) => ({ name: z.name, cidrs: [z.cidr], tags: [...z.tags] }));
  const untrusted = profile.zones.filter((z) => z.tags.includes('untrusted')).map((z) => z.name);
  const rules = untrusted.flatMap((from) =>
    profile.zones
      .filter((z) => !untrusted.includes(z.name))
      .map((z) => ({ from, to: z.name, action: 'deny' })),
  );
  const scanners = network.role(profile.jobs.scanner.role);
  const document = {
    network: { internal: [...profile.internal] },
    timezone: 'UTC',
    zones,
    policy: { default: 'allow', rules },
    allowlist: scanners.map((s) => ({
      cidr: `${s.ip}/32`,
      detections: [
        'port-scan-horizontal',
        'port-scan-vertical',
        'lateral-movement',
        'unusual-port',
      ],
      reason: 'vulnerability scanner (scheduled scans)',
    })),
    threat_intel: { ips: [...profile.threat_intel] },
  };
  const config = parseConfig(document);
  const header = `# wardflow configuration for the synthetic "${profile.name}" network written by wardflow generate.\n`;
  return { yaml: header + stringify(document), config };
}
