import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../functions/shared/config.js';
import { loadConfigFile } from '../../../functions/shared/config-file.js';
import { ConfigError } from '../../../functions/shared/errors.js';
import { useTempDirs } from '../../helpers/temp-dir.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/config');
const tempDir = useTempDirs();

async function catchConfigError(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function expected(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

describe('Function: loadConfigFile', () => {
  it.each([
    ['design-example-yaml.yaml', 'valid/design-example-yaml.expected.json'],
    ['design-example-json.json', 'valid/design-example-json.expected.json'],
    // Local threat-intel lists are read in at load time; parseConfig alone leaves them as names.
    ['ipv6-and-null-sections.yml', 'loaded/ipv6-and-null-sections.expected.json'],
  ])('loads %s', async (file, expectedFile) => {
    // Act
    const config = await loadConfigFile(join(FIXTURES, 'valid', file));

    // Assess
    expect(config).toEqual(expected(expectedFile));
  });

  it('returns the defaults for an empty YAML file', async () => {
    // Act
    const config = await loadConfigFile(join(FIXTURES, 'valid', 'empty.yaml'));

    // Assess
    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    ['JSON', '{ "timezone": "Europe/Berlin" }\n'],
    ['YAML', 'timezone: Europe/Berlin\n'],
  ])('reads %s content from a file with another extension', async (_format, text) => {
    // Prepare
    const file = join(tempDir(), 'wardflow.conf');
    writeFileSync(file, text);

    // Act
    const config = await loadConfigFile(file);

    // Assess
    expect(config.timezone).toBe('Europe/Berlin');
  });

  it('adds the file and line to a validation error in YAML, keeping the key path', async () => {
    // Prepare
    const file = join(FIXTURES, 'invalid', 'unknown-zone-key.yaml');

    // Act
    const error = await catchConfigError(loadConfigFile(file));

    // Assess
    expect(error.path).toBe('zones[1].cidr');
    expect(error.message).toBe(
      `zones[1].cidr: unknown key; expected one of name, cidrs, tags; did you mean "cidrs"? (in ${file}, line 3)`,
    );
  });

  it('points a missing key at its parent mapping', async () => {
    // Prepare
    const file = join(FIXTURES, 'invalid', 'missing-allowlist-reason.yaml');

    // Act
    const error = await catchConfigError(loadConfigFile(file));

    // Assess
    expect(error.path).toBe('allowlist[0].reason');
    expect(error.message).toMatch(/missing required key; expected a reason \(in .*, line 2\)$/);
  });

  it('adds the file to a validation error in JSON', async () => {
    // Prepare
    const file = join(tempDir(), 'config.json');
    writeFileSync(file, JSON.stringify({ network: { internal: ['10.0.0.1/8'] } }));

    // Act
    const error = await catchConfigError(loadConfigFile(file));

    // Assess
    expect(error.path).toBe('network.internal[0]');
    expect(error.message).toBe(
      `network.internal[0]: 10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8? (in ${file})`,
    );
  });

  it('reports a YAML syntax error with the file, line and column', async () => {
    // Prepare
    const file = join(tempDir(), 'broken.yaml');
    writeFileSync(file, 'zones:\n  - { name: ehr-db, cidrs: [10.10.0.0/24 }\n');

    // Act
    const error = await catchConfigError(loadConfigFile(file));

    // Assess
    expect(error.path).toBe('');
    expect(error.message).toMatch(
      new RegExp(`^config file ${escapeRegExp(file)}: invalid YAML \\(line 2, column \\d+\\): `),
    );
  });

  it('reports a duplicate YAML key instead of keeping the last one', async () => {
    // Prepare
    const file = join(tempDir(), 'duplicate.yaml');
    writeFileSync(file, 'timezone: UTC\ntimezone: Europe/Berlin\n');

    // Act
    const error = await catchConfigError(loadConfigFile(file));

    // Assess
    expect(error.message).toBe(
      `config file ${file}: invalid YAML (line 2, column 1): Map keys must be unique`,
    );
  });

  it('reports a JSON syntax error with the file, line and column', async () => {
    // Prepare
    const file = join(tempDir(), 'broken.json');
    writeFileSync(file, '{\n  "timezone": "UTC",\n}\n');

    // Act
    const error = await catchConfigError(loadConfigFile(file));

    // Assess
    expect(error.message).toMatch(
      new RegExp(`^config file ${escapeRegExp(file)}: invalid JSON \\(line 3, column 1\\): `),
    );
  });

  it('names a file that cannot be read', async () => {
    // Prepare
    const file = join(tempDir(), 'missing.yaml');

    // Act
    const error = await catchConfigError(loadConfigFile(file));

    // Assess
    expect(error.message).toMatch(
      new RegExp(`^cannot read config file ${escapeRegExp(file)}: .*ENOENT`),
    );
  });

  it('rejects a directory', async () => {
    // Prepare
    const dir = tempDir();

    // Act
    const error = await catchConfigError(loadConfigFile(dir));

    // Assess
    expect(error.message).toBe(
      `config file ${dir}: expected a regular file, got a directory or device`,
    );
  });

  it('rejects a file larger than maxBytes', async () => {
    // Prepare
    const file = join(tempDir(), 'big.yaml');
    writeFileSync(file, `# ${'x'.repeat(200)}\n`);

    // Act
    const error = await catchConfigError(loadConfigFile(file, { maxBytes: 100 }));

    // Assess
    expect(error.message).toBe(`config file ${file}: expected at most 100 bytes, got 203`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
