import type { AllowlistEntry } from '../config.js';
import { type Cidr, cidrContains, parseCidr, parseIp } from '../enrich/ip-address.js';
import type { Finding } from './finding.js';

/**
 * The config's allowlist: known-good sources (a vulnerability scanner, a backup server) whose
 * findings of the listed detections are suppressed, each with its written reason.
 */
export class Allowlist {
  private readonly entries: readonly { readonly cidr: Cidr; readonly entry: AllowlistEntry }[];

  public constructor(entries: readonly AllowlistEntry[]) {
    this.entries = entries.map((entry) => ({ cidr: parseCidr(entry.cidr), entry }));
  }

  /** The entry that suppresses this finding (matched on its source address), or null. */
  public match(finding: Pick<Finding, 'detection_id' | 'src_ip'>): AllowlistEntry | null {
    if (finding.src_ip === null) return null;
    const address = parseIp(finding.src_ip);
    if (address === null) return null;
    for (const { cidr, entry } of this.entries) {
      if (entry.detections.includes(finding.detection_id) && cidrContains(cidr, address))
        return entry;
    }
    return null;
  }
}
