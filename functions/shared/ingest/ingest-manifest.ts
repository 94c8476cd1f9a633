import type { SourceType } from '../flow-record.js';
import type { LakeStore } from '../lake/lake-store.js';

/**
 * What the last ingest of one input object wrote: kept at `manifests/<stem>.json` so that
 * re-ingesting the object can remove partition files it no longer produces (a changed time zone
 * can move flows to other hours), and so an auditor can trace every lake file to its source.
 */
export interface IngestManifest {
  readonly object: string;
  readonly source_type: SourceType;
  readonly variant: string;
  readonly records_in: number;
  readonly records_written: number;
  readonly records_quarantined: number;
  readonly records_skipped: number;
  readonly files: readonly string[];
  readonly quarantine: string | null;
  readonly error: string | null;
}

/** Lake path of an object's manifest. */
export function manifestPath(stem: string): string {
  return `manifests/${stem}.json`;
}

/** Reads the previous manifest of an object, or null when it was never ingested. */
export async function readManifest(store: LakeStore, stem: string): Promise<IngestManifest | null> {
  const text = await store.readText(manifestPath(stem));
  return text === null ? null : (JSON.parse(text) as IngestManifest);
}

/** Writes the manifest and removes the files of the previous ingest that this one replaced. */
export async function replaceManifest(
  store: LakeStore,
  stem: string,
  previous: IngestManifest | null,
  next: IngestManifest,
): Promise<void> {
  const keep = new Set(next.files);
  for (const file of previous?.files ?? []) {
    if (!keep.has(file)) await store.remove(file);
  }
  await store.writeText(manifestPath(stem), `${JSON.stringify(next, null, 2)}\n`);
}
