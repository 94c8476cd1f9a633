import { at, child, deepFreeze, describe, present } from './config-values.js';
import { type DeploymentConfig, parseDeploymentConfig } from './deployment-config.js';
import { SEVERITIES } from './detection/query-file.js';
import {
  AddressParseError,
  type Cidr,
  cidrContains,
  formatIp,
  parseCidr,
  parseIp,
} from './enrich/ip-address.js';
import { ConfigError } from './errors.js';

/** A named set of address ranges; tags drive detections and severities. */
export interface ZoneConfig {
  /** Letters, digits, `-`, `_`, `.`; unique; not `external` or `unzoned`. */
  readonly name: string;
  /** At least one CIDR, IPv4 or IPv6, host bits zero. */
  readonly cidrs: readonly string[];
  /** @default [] */
  readonly tags: readonly string[];
}

/** One segmentation-policy rule: traffic from one zone to another, optionally on some ports. */
export interface PolicyRule {
  /** A zone name, `external` or `unzoned`. */
  readonly from: string;
  /** A zone name, `external` or `unzoned`. */
  readonly to: string;
  /** Destination ports 1–65535. @default - every port */
  readonly ports?: readonly number[];
  readonly action: 'allow' | 'deny';
}

/** Suppresses findings of some detections for a known-good source range, with a reason. */
export interface AllowlistEntry {
  readonly cidr: string;
  /** Detection ids from {@link DETECTION_IDS}; at least one. */
  readonly detections: readonly string[];
  /** Why this is known good; required so every suppression is explained. */
  readonly reason: string;
}

/** The wardflow configuration (DESIGN.md, "Configuration"), validated. */
export interface WardflowConfig {
  /** @default { internal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } */
  readonly network: { readonly internal: readonly string[] };
  /** IANA zone for exports whose timestamps carry none, in canonical spelling. @default 'UTC' */
  readonly timezone: string;
  /** First match wins. @default [] */
  readonly zones: readonly ZoneConfig[];
  /** @default { default: 'allow', rules: [] } */
  readonly policy: { readonly default: 'allow' | 'deny'; readonly rules: readonly PolicyRule[] };
  /**
   * Per detection id: `enabled` (boolean) and parameters (number, boolean or string), validated
   * against each detection's declared parameters by the detection engine.
   * @default {}
   */
  readonly detections: Readonly<
    Record<string, Readonly<Record<string, number | boolean | string>>>
  >;
  /** @default [] */
  readonly allowlist: readonly AllowlistEntry[];
  /** Listed addresses (IPs or CIDRs) and files of one IP/CIDR per line. @default no entries */
  readonly threat_intel: { readonly ips: readonly string[]; readonly files: readonly string[] };
  /**
   * Settings of the AWS deployment (functions/shared/deployment-config.ts); local mode ignores them.
   * @default - absent; the CDK app then uses DEFAULT_DEPLOYMENT
   */
  readonly deployment?: DeploymentConfig;
}

/** The detection catalog's ids (DESIGN.md), in catalog order; they are a public contract. */
export const DETECTION_IDS: readonly string[] = Object.freeze([
  'egress-volume-anomaly',
  'port-scan-horizontal',
  'port-scan-vertical',
  'lateral-movement',
  'beaconing',
  'long-connection',
  'brute-force',
  'unusual-port',
  'new-external-destination',
  'segmentation-violation',
  'cleartext-phi-protocol',
  'threat-intel-match',
  'device-behavior-drift',
  'source-silence',
]);

/** Zone names wardflow assigns itself; policy rules may use them, zones may not be named so. */
export const PSEUDO_ZONES: readonly string[] = Object.freeze(['external', 'unzoned']);

/** The configuration used when no file is given, and the value of every absent section. */
export const DEFAULT_CONFIG: WardflowConfig = deepFreeze({
  network: { internal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] },
  timezone: 'UTC',
  zones: [],
  policy: { default: 'allow', rules: [] },
  detections: {},
  allowlist: [],
  threat_intel: { ips: [], files: [] },
});

const TOP_KEYS = [
  'network',
  'timezone',
  'zones',
  'policy',
  'detections',
  'allowlist',
  'threat_intel',
  'deployment',
];
const ZONE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const PARAM_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Validates a parsed configuration document (from JSON or YAML) and fills in defaults.
 *
 * Absent sections, and keys whose value is empty (`null`, as YAML writes `zones:` with nothing
 * after it), get their defaults. Everything else must be known and well-formed: unknown keys,
 * wrong types, bad CIDRs, CIDRs with host bits set, duplicate or reserved zone names, a zone CIDR
 * that an earlier zone already covers (first match wins, so it could never match), unknown zone
 * names in policy rules, ports outside 1–65535 and unknown detection ids are errors.
 *
 * @param raw the document, e.g. `JSON.parse(text)`; `undefined`/`null` mean an empty file
 * @throws ConfigError whose `path` names the offending key, e.g. `zones[1].cidrs[0]`
 */
export function parseConfig(raw: unknown): WardflowConfig {
  if (raw === undefined || raw === null) return DEFAULT_CONFIG;
  const top = expectMapping(raw, '', 'a mapping of sections at the top level');
  checkKeys(top, '', TOP_KEYS);
  const zones = present(top.zones) ? parseZones(top.zones, 'zones') : DEFAULT_CONFIG.zones;
  return deepFreeze({
    network: present(top.network) ? parseNetwork(top.network, 'network') : DEFAULT_CONFIG.network,
    timezone: present(top.timezone)
      ? parseTimezone(top.timezone, 'timezone')
      : DEFAULT_CONFIG.timezone,
    zones,
    policy: present(top.policy) ? parsePolicy(top.policy, 'policy', zones) : DEFAULT_CONFIG.policy,
    detections: present(top.detections)
      ? parseDetections(top.detections, 'detections')
      : DEFAULT_CONFIG.detections,
    allowlist: present(top.allowlist)
      ? parseAllowlist(top.allowlist, 'allowlist')
      : DEFAULT_CONFIG.allowlist,
    threat_intel: present(top.threat_intel)
      ? parseThreatIntel(top.threat_intel, 'threat_intel')
      : DEFAULT_CONFIG.threat_intel,
    ...(present(top.deployment)
      ? {
          deployment: parseDeploymentConfig(top.deployment, 'deployment', {
            zoneNames: [...zones.map((z) => z.name), ...PSEUDO_ZONES],
            detectionIds: DETECTION_IDS,
            severities: SEVERITIES,
          }),
        }
      : {}),
  });
}

function parseNetwork(raw: unknown, path: string): WardflowConfig['network'] {
  const network = expectMapping(raw, path, 'a mapping with internal');
  checkKeys(network, path, ['internal']);
  if (!present(network.internal)) return DEFAULT_CONFIG.network;
  const internalPath = child(path, 'internal');
  const internal = expectList(network.internal, internalPath, 'a list of CIDRs');
  return { internal: internal.map((item, i) => cidrText(item, at(internalPath, i))) };
}

function parseTimezone(raw: unknown, path: string): string {
  const zone = expectString(raw, path, 'an IANA time zone name such as UTC or Europe/Berlin');
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new ConfigError(
      path,
      `unknown time zone ${JSON.stringify(zone)}; expected an IANA name such as UTC or America/New_York`,
    );
  }
}

function parseZones(raw: unknown, path: string): ZoneConfig[] {
  const list = expectList(raw, path, 'a list of zones');
  const zones: ZoneConfig[] = [];
  const seen = new Map<string, number>();
  const parsedCidrs: Cidr[][] = [];
  list.forEach((item, index) => {
    const zonePath = at(path, index);
    const zone = expectMapping(item, zonePath, 'a mapping with name, cidrs and tags');
    checkKeys(zone, zonePath, ['name', 'cidrs', 'tags']);
    const namePath = child(zonePath, 'name');
    const name = expectString(
      required(zone, 'name', zonePath, 'a zone name'),
      namePath,
      'a zone name',
    );
    if (PSEUDO_ZONES.includes(name)) {
      throw new ConfigError(
        namePath,
        `zone name ${JSON.stringify(name)} is reserved (external: outside the internal networks, unzoned: internal but in no zone); choose another name`,
      );
    }
    if (!ZONE_NAME.test(name)) {
      throw new ConfigError(
        namePath,
        `expected a zone name of letters, digits, "-", "_" or "." (at most 64, starting with a letter or digit), got ${JSON.stringify(name)}`,
      );
    }
    const previous = seen.get(name);
    if (previous !== undefined) {
      throw new ConfigError(
        namePath,
        `duplicate zone name ${JSON.stringify(name)}; already used by ${at(path, previous)}`,
      );
    }
    seen.set(name, index);
    const cidrsPath = child(zonePath, 'cidrs');
    const cidrList = expectList(
      required(zone, 'cidrs', zonePath, 'a list of CIDRs'),
      cidrsPath,
      'a list of CIDRs',
    );
    if (cidrList.length === 0) {
      throw new ConfigError(cidrsPath, 'expected at least one CIDR, got an empty list');
    }
    const cidrs = cidrList.map((c, i) => cidrText(c, at(cidrsPath, i)));
    const parsed = cidrs.map((c) => parseCidr(c));
    parsed.forEach((cidr, i) => {
      checkNotShadowed(cidr, at(cidrsPath, i), cidrs[i] as string, zones, parsedCidrs, path);
    });
    parsedCidrs.push(parsed);
    const tags = present(zone.tags)
      ? stringList(zone.tags, child(zonePath, 'tags'), 'a list of tags')
      : [];
    zones.push({ name, cidrs, tags });
  });
  return zones;
}

/** First match wins, so a CIDR inside an earlier zone's CIDR can never match: say so. */
function checkNotShadowed(
  cidr: Cidr,
  path: string,
  text: string,
  earlier: readonly ZoneConfig[],
  earlierCidrs: readonly Cidr[][],
  zonesPath: string,
): void {
  earlierCidrs.forEach((cidrs, zoneIndex) => {
    cidrs.forEach((outer, i) => {
      if (outer.prefixLength <= cidr.prefixLength && cidrContains(outer, cidr)) {
        const zone = earlier[zoneIndex] as ZoneConfig;
        throw new ConfigError(
          path,
          `${text} can never match: ${at(zonesPath, zoneIndex)} (${JSON.stringify(zone.name)}) lists ${zone.cidrs[i]}, which covers it and comes first (first match wins); list the narrower zone first`,
        );
      }
    });
  });
}

function parsePolicy(
  raw: unknown,
  path: string,
  zones: readonly ZoneConfig[],
): WardflowConfig['policy'] {
  const policy = expectMapping(raw, path, 'a mapping with default and rules');
  checkKeys(policy, path, ['default', 'rules']);
  const defaultAction = present(policy.default)
    ? parseAction(policy.default, child(path, 'default'))
    : DEFAULT_CONFIG.policy.default;
  const rulesPath = child(path, 'rules');
  const rules = present(policy.rules)
    ? expectList(policy.rules, rulesPath, 'a list of rules').map((item, i) =>
        parsePolicyRule(item, at(rulesPath, i), zones),
      )
    : [];
  return { default: defaultAction, rules };
}

function parsePolicyRule(raw: unknown, path: string, zones: readonly ZoneConfig[]): PolicyRule {
  const rule = expectMapping(raw, path, 'a mapping with from, to, ports and action');
  checkKeys(rule, path, ['from', 'to', 'ports', 'action']);
  const names = [...zones.map((z) => z.name), ...PSEUDO_ZONES];
  const zoneRef = (key: 'from' | 'to'): string => {
    const keyPath = child(path, key);
    const name = expectString(required(rule, key, path, 'a zone name'), keyPath, 'a zone name');
    if (!names.includes(name)) {
      throw new ConfigError(
        keyPath,
        `unknown zone ${JSON.stringify(name)}; expected one of ${names.join(', ')}${didYouMean(name, names)}`,
      );
    }
    return name;
  };
  const from = zoneRef('from');
  const to = zoneRef('to');
  const action = parseAction(
    required(rule, 'action', path, '"allow" or "deny"'),
    child(path, 'action'),
  );
  if (!present(rule.ports)) return { from, to, action };
  const portsPath = child(path, 'ports');
  const portList = expectList(rule.ports, portsPath, 'a list of ports');
  if (portList.length === 0) {
    throw new ConfigError(
      portsPath,
      'expected at least one port, got an empty list; omit ports to match every port',
    );
  }
  const ports = portList.map((p, i) => {
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) {
      throw new ConfigError(at(portsPath, i), `expected a port 1–65535, got ${describe(p)}`);
    }
    return p;
  });
  return { from, to, ports, action };
}

function parseAction(raw: unknown, path: string): 'allow' | 'deny' {
  if (raw !== 'allow' && raw !== 'deny') {
    throw new ConfigError(path, `expected "allow" or "deny", got ${describe(raw)}`);
  }
  return raw;
}

function parseDetections(raw: unknown, path: string): WardflowConfig['detections'] {
  const detections = expectMapping(raw, path, 'a mapping of detection id to settings');
  const out: Record<string, Record<string, number | boolean | string>> = {};
  for (const [id, value] of Object.entries(detections)) {
    const idPath = child(path, id);
    if (!DETECTION_IDS.includes(id)) {
      throw new ConfigError(
        idPath,
        `unknown detection id; expected one of ${DETECTION_IDS.join(', ')}${didYouMean(id, DETECTION_IDS)}`,
      );
    }
    const settings: Record<string, number | boolean | string> = {};
    if (present(value)) {
      const params = expectMapping(value, idPath, 'a mapping of enabled and parameters');
      for (const [name, param] of Object.entries(params)) {
        const paramPath = child(idPath, name);
        if (name === 'enabled') {
          if (typeof param !== 'boolean') {
            throw new ConfigError(paramPath, `expected true or false, got ${describe(param)}`);
          }
        } else if (!PARAM_NAME.test(name)) {
          throw new ConfigError(
            paramPath,
            'expected a parameter name of lower-case letters, digits and "_" (like min_hosts)',
          );
        } else if (
          !(typeof param === 'number' && Number.isFinite(param)) &&
          typeof param !== 'boolean' &&
          typeof param !== 'string'
        ) {
          throw new ConfigError(
            paramPath,
            `expected a number, boolean or string parameter value, got ${describe(param)}`,
          );
        }
        settings[name] = param as number | boolean | string;
      }
    }
    out[id] = settings;
  }
  return out;
}

function parseAllowlist(raw: unknown, path: string): AllowlistEntry[] {
  return expectList(raw, path, 'a list of allowlist entries').map((item, index) => {
    const entryPath = at(path, index);
    const entry = expectMapping(item, entryPath, 'a mapping with cidr, detections and reason');
    checkKeys(entry, entryPath, ['cidr', 'detections', 'reason']);
    const cidr = cidrText(required(entry, 'cidr', entryPath, 'a CIDR'), child(entryPath, 'cidr'));
    const detectionsPath = child(entryPath, 'detections');
    const detections = stringList(
      required(entry, 'detections', entryPath, 'a list of detection ids'),
      detectionsPath,
      'a list of detection ids',
    );
    if (detections.length === 0) {
      throw new ConfigError(
        detectionsPath,
        'expected at least one detection id, got an empty list',
      );
    }
    detections.forEach((id, i) => {
      if (!DETECTION_IDS.includes(id)) {
        throw new ConfigError(
          at(detectionsPath, i),
          `unknown detection id ${JSON.stringify(id)}; expected one of ${DETECTION_IDS.join(', ')}${didYouMean(id, DETECTION_IDS)}`,
        );
      }
    });
    const reason = expectString(
      required(entry, 'reason', entryPath, 'a reason'),
      child(entryPath, 'reason'),
      'a reason (why this source is known good)',
    );
    return { cidr, detections, reason };
  });
}

function parseThreatIntel(raw: unknown, path: string): WardflowConfig['threat_intel'] {
  const intel = expectMapping(raw, path, 'a mapping with ips and files');
  checkKeys(intel, path, ['ips', 'files']);
  const ipsPath = child(path, 'ips');
  const ips = present(intel.ips)
    ? stringList(intel.ips, ipsPath, 'a list of IP addresses or CIDRs')
    : [];
  ips.forEach((text, i) => {
    if (text.includes('/')) cidrText(text, at(ipsPath, i));
    else if (parseIp(text) === null) {
      throw new ConfigError(
        at(ipsPath, i),
        `expected an IP address or CIDR, got ${JSON.stringify(text)}`,
      );
    }
  });
  const files = present(intel.files)
    ? stringList(intel.files, child(path, 'files'), 'a list of file paths or s3:// URIs')
    : [];
  return { ips, files };
}

/** Validates one CIDR string and returns it as written. */
function cidrText(raw: unknown, path: string): string {
  const text = expectString(raw, path, 'a CIDR such as 10.0.0.0/8');
  const address = text.includes('/') ? null : parseIp(text);
  if (address !== null) {
    const single = `${formatIp(address.family, address.bytes)}/${address.family === 4 ? 32 : 128}`;
    throw new ConfigError(
      path,
      `${text} is an address, not a CIDR; write ${single} for a single host`,
    );
  }
  try {
    parseCidr(text);
  } catch (error) {
    if (error instanceof AddressParseError) throw new ConfigError(path, error.message);
    throw error;
  }
  return text;
}

// ---- generic shape checks -------------------------------------------------------------------

function required(
  object: Record<string, unknown>,
  key: string,
  path: string,
  what: string,
): unknown {
  const value = object[key];
  if (!present(value)) {
    throw new ConfigError(child(path, key), `missing required key; expected ${what}`);
  }
  return value;
}

function expectMapping(value: unknown, path: string, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(path, `expected ${what}, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function expectList(value: unknown, path: string, what: string): unknown[] {
  if (!Array.isArray(value))
    throw new ConfigError(path, `expected ${what}, got ${describe(value)}`);
  return value;
}

function expectString(value: unknown, path: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(path, `expected ${what} (a non-empty string), got ${describe(value)}`);
  }
  return value;
}

function stringList(value: unknown, path: string, what: string): string[] {
  return expectList(value, path, what).map((item, i) =>
    expectString(item, at(path, i), 'a list entry'),
  );
}

function checkKeys(
  object: Record<string, unknown>,
  path: string,
  allowed: readonly string[],
): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        child(path, key),
        `unknown key; expected one of ${allowed.join(', ')}${didYouMean(key, allowed)}`,
      );
    }
  }
}

/** `; did you mean "x"?` when one candidate is within a small edit distance, else ''. */
function didYouMean(input: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(input.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : `; did you mean ${JSON.stringify(best)}?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
