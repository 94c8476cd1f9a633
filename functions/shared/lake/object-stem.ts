import { createHash } from 'node:crypto';

/**
 * The stable file stem for everything one input object writes to the lake: a hash of the object's
 * identity (S3 bucket and key, or the local file's resolved path). Ingesting the same object again
 * yields the same names, so its files are replaced, never duplicated.
 */
export function objectStem(identity: string): string {
  return `part-${createHash('sha256').update(identity).digest('hex').slice(0, 20)}`;
}
