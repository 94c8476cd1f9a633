import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { openFileSink } from './byte-sink.js';
import type { LakeStore, StagedObject } from './lake-store.js';

/**
 * The lake as a local folder. Objects are written to a temporary name beside their final path and
 * renamed on commit, so a reader (or a crash) never sees half a Parquet file.
 */
export class LocalLakeStore implements LakeStore {
  public constructor(private readonly root: string) {}

  public stage(path: string): StagedObject {
    const target = join(this.root, path);
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const sink = openFileSink(temporary);
    return {
      sink,
      commit: async () => {
        sink.close();
        await rename(temporary, target);
      },
      abort: async () => {
        sink.close();
        await rm(temporary, { force: true });
      },
    };
  }

  public async readText(path: string): Promise<string | null> {
    try {
      return await readFile(join(this.root, path), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  public async writeText(path: string, text: string): Promise<void> {
    const target = join(this.root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }

  public async remove(path: string): Promise<void> {
    await rm(join(this.root, path), { force: true });
  }
}
