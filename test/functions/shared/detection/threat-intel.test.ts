import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/shared/config.js';
import { loadConfigFile } from '../../../../functions/shared/config-file.js';
import { configParameters } from '../../../../functions/shared/detection/config-parameters.js';
import {
  matchSet,
  parseThreatIntelList,
  resolveThreatIntel,
  ThreatIntelError,
} from '../../../../functions/shared/detection/threat-intel.js';
import { bindParameters } from '../../../../functions/shared/engines/sql-parameters.js';

describe('Threat intel', () => {
  it('reads one entry per line, skipping blanks and # comments', () => {
    const text = '# feed 2026-11-30\n203.0.113.66\n\n198.51.100.0/24  # scanners\r\n';
    expect(parseThreatIntelList(text, 'feed.txt')).toEqual(['203.0.113.66', '198.51.100.0/24']);
  });

  it('names the list and the line of a bad entry', () => {
    expect(() => parseThreatIntelList('203.0.113.66\nevil.example\n', 'feed.txt')).toThrow(
      /^feed\.txt:2: expected an IP address or CIDR, got "evil\.example"$/,
    );
    expect(() => parseThreatIntelList('10.0.0.1/24\n', 'feed.txt')).toThrow(
      /^feed\.txt:1: 10\.0\.0\.1\/24 has host bits set/,
    );
  });

  it('matches addresses in the spelling the lake stores', () => {
    expect(matchSet(['2001:DB8:0:0:0:0:0:1', '203.0.113.66', '203.0.113.7/32']).addresses).toEqual([
      '2001:db8::1',
      '203.0.113.66',
      '203.0.113.7',
    ]);
  });

  it('turns IPv4 ranges into inclusive numeric bounds', () => {
    expect(matchSet(['198.51.100.64/26', '0.0.0.0/0']).ipv4Ranges).toEqual([
      [3325256768, 3325256831],
      [0, 4294967295],
    ]);
  });

  it('expands narrow IPv6 ranges and refuses wide ones', () => {
    expect(matchSet(['2001:db8::/126']).addresses).toEqual([
      '2001:db8::',
      '2001:db8::1',
      '2001:db8::2',
      '2001:db8::3',
    ]);
    expect(() => matchSet(['2001:db8::/64'])).toThrow(ThreatIntelError);
    expect(() => matchSet(['2001:db8::/64'])).toThrow(/wider than \/120/);
  });

  it('merges list files into the configured addresses', async () => {
    const config = parseConfig({ threat_intel: { ips: ['203.0.113.66'], files: ['a.txt'] } });
    const resolved = await resolveThreatIntel(config, async () => '198.51.100.0/24\n');
    expect(resolved.threat_intel).toEqual({ ips: ['203.0.113.66', '198.51.100.0/24'], files: [] });
  });

  it('refuses to render a threat-intel query while a list file is unread', () => {
    const params = configParameters(
      parseConfig({ threat_intel: { files: ['s3://intel/feed.txt'] } }),
    );
    expect(() => bindParameters('SELECT 1 WHERE x IN :threat_intel_ips', params)).toThrow(
      /:threat_intel_ips: threat_intel\.files must be read in .*s3:\/\/intel\/feed\.txt/,
    );
    // Queries that do not use threat intel still bind.
    expect(bindParameters('SELECT :policy_default', params)).toBe("SELECT 'allow'");
  });

  it('renders ranges as a BIGINT table and addresses as a list', () => {
    const params = configParameters(
      parseConfig({ threat_intel: { ips: ['203.0.113.66', '198.51.100.64/26'] } }),
    );
    expect(params.threat_intel_ips).toEqual({ kind: 'strings', value: ['203.0.113.66'] });
    expect(params.threat_intel_ranges).toMatchObject({
      kind: 'rows',
      value: [[3325256768, 3325256831]],
    });
  });

  it('reads local list files relative to the config file and keeps s3:// lists for the cloud', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardflow-intel-'));
    try {
      writeFileSync(join(dir, 'feed.txt'), '# test feed\n192.0.2.10\n');
      writeFileSync(
        join(dir, 'wardflow.yaml'),
        'threat_intel:\n  ips: [203.0.113.66]\n  files: [feed.txt, s3://intel/feed.txt]\n',
      );
      const config = await loadConfigFile(join(dir, 'wardflow.yaml'));
      expect(config.threat_intel).toEqual({
        ips: ['203.0.113.66', '192.0.2.10'],
        files: ['s3://intel/feed.txt'],
      });
      writeFileSync(join(dir, 'feed.txt'), '192.0.2.10\nnot-an-address\n');
      await expect(loadConfigFile(join(dir, 'wardflow.yaml'))).rejects.toThrow(
        /feed\.txt:2: expected an IP address or CIDR/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
