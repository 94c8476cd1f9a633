import type { ByteSink } from './byte-sink.js';

/** A file being written into the lake; invisible to readers until committed. */
export interface StagedObject {
  readonly sink: ByteSink;
  /** Makes the object visible under its final path, replacing any previous version. */
  commit(): Promise<void>;
  /** Discards what was written. */
  abort(): Promise<void>;
}

/**
 * Where the lake lives: a local folder, or an S3 prefix in the cloud. Paths are relative to the
 * lake root and use `/`.
 */
export interface LakeStore {
  /**
   * Starts writing `path`; the object appears only on `commit()`. Synchronous so that the hot
   * path of an ingest never awaits per record (cloud stores stage in a temporary file too).
   */
  stage(path: string): StagedObject;
  /** The object's text, or null when it does not exist. */
  readText(path: string): Promise<string | null>;
  /** Writes a small object whole. */
  writeText(path: string, text: string): Promise<void>;
  /** Removes an object; removing a missing object is not an error. */
  remove(path: string): Promise<void>;
}
