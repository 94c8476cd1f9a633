import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LakeWriteError } from '../../../../functions/shared/errors.js';
import {
  CountingSink,
  MemorySink,
  openFileSink,
} from '../../../../functions/shared/lake/byte-sink.js';
import { useTempDirs } from '../../../helpers/temp-dir.js';

describe('Class: MemorySink', () => {
  it('copies what it is given, so the caller may reuse its buffer', () => {
    // Prepare
    const sink = new MemorySink();
    const scratch = Buffer.from([1, 2, 3]);

    // Act
    sink.write(scratch);
    scratch.fill(9);
    sink.write(scratch.subarray(0, 1));

    // Assess
    expect([...sink.toBytes()]).toEqual([1, 2, 3, 9]);
    expect(sink.byteLength).toBe(4);
  });
});

describe('Class: FileSink', () => {
  const tempDir = useTempDirs();

  it('writes small and large writes in order through its buffer', () => {
    // Prepare
    const path = join(tempDir(), 'out.bin');
    const sink = openFileSink(path, 8);
    const large = new Uint8Array(20).fill(7);

    // Act
    sink.write(new Uint8Array([1, 2, 3]));
    sink.write(new Uint8Array([4, 5, 6, 7, 8, 9]));
    sink.write(large);
    sink.write(new Uint8Array([10]));
    sink.close();

    // Assess
    expect([...readFileSync(path)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, ...large, 10]);
  });

  it('holds small writes in memory until flushed', () => {
    // Prepare
    const path = join(tempDir(), 'out.bin');
    const sink = openFileSink(path);

    // Act
    sink.write(new Uint8Array([1, 2]));
    const beforeFlush = readFileSync(path).length;
    sink.flush();
    const afterFlush = readFileSync(path).length;
    sink.close();

    // Assess
    expect([beforeFlush, afterFlush]).toEqual([0, 2]);
  });

  it('ignores a second close() and refuses writes after close()', () => {
    // Prepare
    const sink = openFileSink(join(tempDir(), 'out.bin'));
    sink.close();

    // Act & Assess
    expect(() => sink.close()).not.toThrow();
    expect(() => sink.write(new Uint8Array(1))).toThrow(LakeWriteError);
    expect(() => sink.write(new Uint8Array(1))).toThrow(
      'file sink: expected an open file, got a write after close()',
    );
  });
});

describe('Class: CountingSink', () => {
  it('forwards writes and counts their bytes', () => {
    // Prepare
    const target = new MemorySink();
    const sink = new CountingSink(target);

    // Act
    sink.write(new Uint8Array(3));
    sink.write(new Uint8Array(4));

    // Assess
    expect(sink.position).toBe(7);
    expect(target.byteLength).toBe(7);
  });
});
