import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECTION_IDS } from '../../functions/shared/config.js';
import { loadDetectionCatalog } from '../../functions/shared/detection/detection-catalog.js';
import { detectOn } from '../helpers/detection-harness.js';
import { expandFixtureFlows, readDetectionFixture } from '../helpers/flow-fixtures.js';
import { useTempDirs } from '../helpers/temp-dir.js';

/**
 * Every detection runs on DuckDB against its positive fixture (each expected finding must appear)
 * and its negative fixture (no finding of that detection may appear): flows as files under
 * `test/fixtures/detections/<id>/{positive,negative}.json`.
 */
const FIXTURES = join(import.meta.dirname, '../fixtures/detections');
const tempDir = useTempDirs();
const catalog = loadDetectionCatalog();

describe('Detections: catalog', () => {
  it('names only detection ids of DESIGN.md', () => {
    for (const definition of catalog) expect(DETECTION_IDS).toContain(definition.id);
  });

  it.each(catalog.map((d) => [d.id, d] as const))(
    '%s uses every parameter it declares',
    (_id, definition) => {
      for (const name of Object.keys(definition.params))
        expect(definition.sql).toContain(`:${name}`);
    },
  );

  it.each(catalog.map((d) => [d.id] as const))('%s has a positive and a negative fixture', (id) => {
    expect(readdirSync(join(FIXTURES, id)).sort()).toEqual(['negative.json', 'positive.json']);
  });
});

describe.each(catalog.map((d) => [d.id, d] as const))('Detection: %s', (id, definition) => {
  it('finds what its positive fixture describes', async () => {
    // Prepare
    const fixture = readDetectionFixture(join(FIXTURES, id, 'positive.json'));
    const records = expandFixtureFlows(fixture, `${id}/positive`);

    // Act
    const findings = (await detectOn(tempDir(), records, [definition], fixture)).filter(
      (f) => f.detection_id === id,
    );

    // Assess
    expect(fixture.expect.length).toBeGreaterThan(0);
    for (const expected of fixture.expect) {
      expect(findings, fixture.description).toContainEqual(expect.objectContaining(expected));
    }
  });

  it('stays quiet on its negative fixture', async () => {
    // Prepare
    const fixture = readDetectionFixture(join(FIXTURES, id, 'negative.json'));
    const records = expandFixtureFlows(fixture, `${id}/negative`);

    // Act
    const findings = (await detectOn(tempDir(), records, [definition], fixture)).filter(
      (f) => f.detection_id === id,
    );

    // Assess
    expect(findings, fixture.description).toEqual([]);
  });
});
