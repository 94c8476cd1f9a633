import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DetectionDefinition, toDetectionDefinition } from './detection-definition.js';
import { parseQueryFile, QueryFileError } from './query-file.js';

/** `queries/` of this checkout: the single source of truth for detections, baselines and audits. */
export const QUERIES_DIR = fileURLToPath(new URL('../../../queries/', import.meta.url));

/**
 * Loads every `queries/detections/<id>.sql`, sorted by id. The header's `id` must equal the file
 * name: ids are a public contract, and the file is where an engineer looks for one.
 */
export function loadDetectionCatalog(
  folder = join(QUERIES_DIR, 'detections'),
): DetectionDefinition[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const path = join(folder, name);
      const definition = toDetectionDefinition(parseQueryFile(path, readFileSync(path, 'utf8')));
      if (definition.id !== name.slice(0, -4)) {
        throw new QueryFileError(
          path,
          `id ${JSON.stringify(definition.id)} does not match the file name`,
        );
      }
      return definition;
    });
}
