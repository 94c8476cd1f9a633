import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../functions/shared/errors.js';
import type { InputObject } from '../functions/shared/ingest/ingest-object.js';

/** A local file to ingest, and whether the user named it (rather than a folder holding it). */
export interface LocalInput {
  readonly object: InputObject;
  readonly explicit: boolean;
  readonly size: number;
}

/**
 * Expands the paths on the command line into files: a file stands for itself, a folder for every
 * file below it (sorted, so runs are repeatable). A path that does not exist is a usage error.
 */
export async function expandLocalInputs(paths: readonly string[]): Promise<LocalInput[]> {
  const inputs: LocalInput[] = [];
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      throw new UsageError(`${path}: no such file or folder`);
    }
    if (info.isDirectory()) {
      for (const file of await walk(path)) inputs.push(await localInput(file, false));
    } else {
      inputs.push(await localInput(path, true));
    }
  }
  return inputs;
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

async function localInput(path: string, explicit: boolean): Promise<LocalInput> {
  const absolute = resolve(path);
  const size = (await stat(absolute)).size;
  const ref = path.split('\\').join('/');
  return {
    explicit,
    size,
    object: {
      ref,
      identity: `file://${absolute}`,
      defaultSensor: defaultSensorOf(ref),
      open: () => createReadStream(absolute, { highWaterMark: 1 << 20 }),
    },
  };
}

/**
 * The sensor for records that name none: the site of an `onprem/<site>/…` path (the landing
 * layout on-prem collectors ship to), else the folder the file sits in.
 */
export function defaultSensorOf(ref: string): string {
  const site = /(?:^|\/)onprem\/([^/]+)\//.exec(ref);
  if (site?.[1] !== undefined) return site[1];
  const folder = basename(dirname(resolve(ref)));
  return folder === '' ? 'local' : folder;
}
