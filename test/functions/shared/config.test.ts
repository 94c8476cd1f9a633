import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DEFAULT_CONFIG,
  DETECTION_IDS,
  parseConfig,
  type WardflowConfig,
} from '../../../functions/shared/config.js';
import { ConfigError } from '../../../functions/shared/errors.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/config');

/** Fixture inputs in a folder that have a sibling `<case>.expected.json`. */
function cases(folder: string): { name: string; input: string; expected: string }[] {
  const files = readdirSync(join(FIXTURES, folder)).sort();
  return files
    .filter((file) => !file.endsWith('.expected.json'))
    .map((file) => ({
      name: file,
      input: join(FIXTURES, folder, file),
      expected: join(FIXTURES, folder, file.replace(/\.[^.]+$/, '.expected.json')),
    }));
}

function readDocument(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : parse(text);
}

function catchConfigError(raw: unknown): ConfigError {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected parseConfig to throw a ConfigError');
}

describe('Function: parseConfig', () => {
  describe.each(cases('valid'))('valid fixture $name', ({ input, expected }) => {
    it('parses to the expected configuration', () => {
      // Prepare
      const raw = readDocument(input);

      // Act
      const config = parseConfig(raw);

      // Assess
      expect(config).toEqual(JSON.parse(readFileSync(expected, 'utf8')));
    });
  });

  describe.each(cases('invalid'))('invalid fixture $name', ({ input, expected }) => {
    it('throws a ConfigError naming the key path', () => {
      // Prepare
      const raw = readDocument(input);
      const want = JSON.parse(readFileSync(expected, 'utf8')) as { path: string; message: string };

      // Act
      const error = catchConfigError(raw);

      // Assess
      expect(error.path).toBe(want.path);
      expect(error.message).toBe(want.message);
    });
  });

  it('returns the defaults for an empty document', () => {
    // Act
    const fromNull = parseConfig(null);
    const fromUndefined = parseConfig(undefined);
    const fromEmptyMapping = parseConfig({});

    // Assess
    expect(fromNull).toBe(DEFAULT_CONFIG);
    expect(fromUndefined).toBe(DEFAULT_CONFIG);
    expect(fromEmptyMapping).toEqual(DEFAULT_CONFIG);
  });

  it('returns a frozen configuration', () => {
    // Act
    const config = parseConfig({ zones: [{ name: 'a', cidrs: ['10.1.0.0/16'] }] });

    // Assess
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.zones[0]?.cidrs)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CONFIG.network.internal)).toBe(true);
  });

  it('accepts a zone outside network.internal and zones listed narrowest first', () => {
    // Prepare
    const raw = {
      zones: [
        { name: 'ehr-db', cidrs: ['10.10.0.0/24'] },
        { name: 'campus', cidrs: ['10.0.0.0/8'] },
        { name: 'partner', cidrs: ['198.51.100.0/24', '2001:db8::/32'] },
      ],
    };

    // Act
    const config: WardflowConfig = parseConfig(raw);

    // Assess
    expect(config.zones.map((zone) => zone.name)).toEqual(['ehr-db', 'campus', 'partner']);
  });

  it('names a non-identifier detection key in brackets', () => {
    // Act
    const error = catchConfigError({ detections: { 'port scan': {} } });

    // Assess
    expect(error.path).toBe('detections["port scan"]');
  });

  it('rejects a parameter value that is not a finite number', () => {
    // Act
    const error = catchConfigError({ detections: { beaconing: { min_score: Number.NaN } } });

    // Assess
    expect(error.path).toBe('detections.beaconing.min_score');
    expect(error.message).toContain('got the number NaN');
  });

  it('rejects a parameter name that is not snake_case', () => {
    // Act
    const error = catchConfigError({ detections: { beaconing: { minScore: 3 } } });

    // Assess
    expect(error.path).toBe('detections.beaconing.minScore');
  });

  it('rejects an empty ports list and tells how to match every port', () => {
    // Act
    const error = catchConfigError({
      policy: { rules: [{ from: 'unzoned', to: 'external', ports: [], action: 'deny' }] },
    });

    // Assess
    expect(error.path).toBe('policy.rules[0].ports');
    expect(error.message).toContain('omit ports to match every port');
  });
});

describe('Constant: DETECTION_IDS', () => {
  it('lists the 14 catalog ids of DESIGN.md in catalog order', () => {
    // Assess
    expect(DETECTION_IDS).toEqual([
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
  });
});
