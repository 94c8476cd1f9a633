import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { LakeWriteError } from '../errors.js';
import { openFileSink } from '../lake/byte-sink.js';
import type { LakeStore, StagedObject } from '../lake/lake-store.js';

/** Options of {@link S3LakeStore}. */
export interface S3LakeStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /**
   * Key prefix of the lake root inside the bucket; `''` or ending in `/`.
   * @default '' (the bucket root)
   */
  readonly prefix?: string;
  /**
   * Folder for staged files (Lambda: `/tmp`, sized by the function's ephemeral storage).
   * @default - the system's temporary folder
   */
  readonly tempDir?: string;
}

/** The S3 error names that mean "no such object". */
const MISSING = new Set(['NoSuchKey', 'NotFound']);

/**
 * The lake as an S3 bucket (or a prefix of one). A staged object is written to a temporary file
 * and uploaded in one PutObject on commit, so the writer's synchronous byte sink never waits on
 * the network and a reader never sees half a Parquet file; memory stays at the file buffer's
 * size whatever the object's size.
 */
export class S3LakeStore implements LakeStore {
  private readonly prefix: string;
  private readonly tempDir: string;

  public constructor(private readonly options: S3LakeStoreOptions) {
    const prefix = options.prefix ?? '';
    if (prefix !== '' && !prefix.endsWith('/')) {
      throw new LakeWriteError(
        `S3 lake prefix: expected '' or a prefix ending in '/', got ${JSON.stringify(prefix)}`,
      );
    }
    this.prefix = prefix;
    this.tempDir = options.tempDir ?? tmpdir();
  }

  /** The S3 key of a lake path. */
  public key(path: string): string {
    return `${this.prefix}${path}`;
  }

  public stage(path: string): StagedObject {
    const temporary = join(this.tempDir, `wardflow-${randomBytes(8).toString('hex')}.tmp`);
    const sink = openFileSink(temporary);
    return {
      sink,
      commit: async () => {
        try {
          sink.close();
          const { size } = await stat(temporary);
          await this.options.client.send(
            new PutObjectCommand({
              Bucket: this.options.bucket,
              Key: this.key(path),
              Body: createReadStream(temporary),
              ContentLength: size,
            }),
          );
        } catch (error) {
          throw new LakeWriteError(`uploading ${this.describe(path)} failed`, { cause: error });
        } finally {
          await rm(temporary, { force: true });
        }
      },
      abort: async () => {
        sink.close();
        await rm(temporary, { force: true });
      },
    };
  }

  public async readText(path: string): Promise<string | null> {
    try {
      const object = await this.options.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(path) }),
      );
      return (await object.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      if (error instanceof Error && MISSING.has(error.name)) return null;
      throw new LakeWriteError(`reading ${this.describe(path)} failed`, { cause: error });
    }
  }

  public async writeText(path: string, text: string): Promise<void> {
    try {
      // An explicit checksum: S3 refuses uploads without one into an Object Lock bucket (the
      // findings bucket), whatever the client's checksum setting.
      await this.options.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.key(path),
          Body: text,
          // Stated even for '' (an evidence file of findings without raw refs): without it the
          // SDK takes an empty body for a stream of unknown length.
          ContentLength: Buffer.byteLength(text),
          ChecksumAlgorithm: 'CRC32',
        }),
      );
    } catch (error) {
      throw new LakeWriteError(`writing ${this.describe(path)} failed`, { cause: error });
    }
  }

  public async remove(path: string): Promise<void> {
    try {
      // S3 answers 204 for a key that does not exist, so removing a missing object succeeds.
      await this.options.client.send(
        new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(path) }),
      );
    } catch (error) {
      throw new LakeWriteError(`removing ${this.describe(path)} failed`, { cause: error });
    }
  }

  private describe(path: string): string {
    return `s3://${this.options.bucket}/${this.key(path)}`;
  }
}
