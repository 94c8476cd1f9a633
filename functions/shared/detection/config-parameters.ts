import type { WardflowConfig } from '../config.js';
import { param, type SqlParameters } from '../engines/sql-parameters.js';
import { matchSet } from './threat-intel.js';

/**
 * The parts of the configuration that queries read, as typed parameters: threat-intel addresses
 * (exact, and IPv4 ranges as `threat_intel_ranges(first_address, last_address)` on the address's
 * number; list files must have been read in first, see `resolveThreatIntel`),
 * zone tags and the segmentation policy. Detections and audit queries get the same ones.
 */
export function configParameters(config: WardflowConfig): SqlParameters {
  // List files must have been read in (resolveThreatIntel): never match part of the list silently.
  // Queries that do not use threat intel (audits, deploy-time rendering) bind without them.
  const unread = config.threat_intel.files;
  const intel = unread.length === 0 ? matchSet(config.threat_intel.ips) : null;
  const missing = param.unavailable(
    `threat_intel.files must be read in before threat-intel queries run (resolveThreatIntel): ${unread.join(', ')}`,
  );
  return {
    threat_intel_ips: intel === null ? missing : param.strings(intel.addresses),
    threat_intel_ranges:
      intel === null
        ? missing
        : param.rows(
            'threat_intel_ranges',
            [
              { name: 'first_address', type: 'BIGINT' },
              { name: 'last_address', type: 'BIGINT' },
            ],
            intel.ipv4Ranges,
          ),
    zone_tags: zoneTagRows(config),
    policy_rules: policyRuleRows(config),
    policy_default: param.string(config.policy.default),
  };
}

/** The config's zones and their tags, one row per (zone, tag): `zone_tags(zone, tag)`. */
function zoneTagRows(config: WardflowConfig): SqlParameters[string] {
  const rows = config.zones.flatMap((zone) => zone.tags.map((tag) => [zone.name, tag] as const));
  return param.rows(
    'zone_tags',
    [
      { name: 'zone', type: 'VARCHAR' },
      { name: 'tag', type: 'VARCHAR' },
    ],
    rows,
  );
}

/**
 * The segmentation policy as `policy_rules(rule_index, from_zone, to_zone, port, action)`: one row
 * per rule and port (port NULL when the rule covers every port); the first matching rule wins.
 */
function policyRuleRows(config: WardflowConfig): SqlParameters[string] {
  const rows = config.policy.rules.flatMap((rule, index) =>
    (rule.ports ?? [null]).map((port) => [index, rule.from, rule.to, port, rule.action] as const),
  );
  return param.rows(
    'policy_rules',
    [
      { name: 'rule_index', type: 'INTEGER' },
      { name: 'from_zone', type: 'VARCHAR' },
      { name: 'to_zone', type: 'VARCHAR' },
      { name: 'port', type: 'INTEGER' },
      { name: 'action', type: 'VARCHAR' },
    ],
    rows,
  );
}
