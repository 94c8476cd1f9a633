import type { EncodingScratch } from './encoding-scratch.js';

/**
 * Most entries a dictionary may hold, whatever its byte size: keeps dictionary indices at most
 * 20 bits wide.
 */
export const MAX_DICTIONARY_ENTRIES = 1 << 20;

/**
 * After this many values, a dictionary whose entries are still more than
 * {@link MAX_EARLY_DISTINCT_RATIO} of the values seen is abandoned: the column is (nearly)
 * unique, and building the rest would be wasted work.
 */
const EARLY_CHECK_VALUES = 8192;
const MAX_EARLY_DISTINCT_RATIO = 0.75;

/** The distinct values of a column chunk and, for each non-null value, its entry index. */
export interface ValueDictionary<T> {
  /** Distinct values in first-seen order (so the output is deterministic). */
  readonly entries: readonly T[];
  /** Entry index of every non-null value, in row order (a view of a scratch array). */
  readonly indices: Int32Array;
  /** Size of the dictionary page before compression (PLAIN-encoded entries). */
  readonly entryBytes: number;
}

/**
 * Builds the dictionary of a STRING column chunk one value at a time (so it shares the
 * validation loop). Gives up for good as soon as the PLAIN-encoded entries exceed `maxBytes`,
 * or when the first 8192 values are mostly distinct, so unique columns cost little.
 */
export class StringDictionaryBuilder {
  private ids: Map<string, number> | undefined = new Map();
  private readonly entries: string[] = [];
  private readonly indices: Int32Array;
  private count = 0;
  private entryBytes = 0;

  /** @param capacity - the number of values that will be added, at most */
  public constructor(
    private readonly maxBytes: number,
    capacity: number,
    scratch: EncodingScratch,
  ) {
    this.indices = scratch.indices(capacity);
    if (maxBytes <= 0) this.ids = undefined;
  }

  /** Adds the next non-null value. */
  public add(value: string): void {
    const ids = this.ids;
    if (ids === undefined) return;
    let id = ids.get(value);
    if (id === undefined) {
      id = this.entries.length;
      this.entryBytes += 4 + Buffer.byteLength(value);
      if (this.entryBytes > this.maxBytes || id >= MAX_DICTIONARY_ENTRIES) {
        this.ids = undefined;
        return;
      }
      ids.set(value, id);
      this.entries.push(value);
    }
    this.indices[this.count++] = id;
    if (
      this.count === EARLY_CHECK_VALUES &&
      this.entries.length > this.count * MAX_EARLY_DISTINCT_RATIO
    ) {
      this.ids = undefined;
    }
  }

  /** The dictionary, or `undefined` if it was abandoned. */
  public finish(): ValueDictionary<string> | undefined {
    if (this.ids === undefined) return undefined;
    return {
      entries: this.entries,
      indices: this.indices.subarray(0, this.count),
      entryBytes: this.entryBytes,
    };
  }
}

/**
 * Builds the dictionary of an integer column chunk from its non-null values, with an
 * open-addressing table on typed arrays (a `Map` boxes every number above 2^31). Gives up
 * (returns `undefined`) once the entries exceed `maxBytes` at `byteWidth` bytes each, or when the
 * first 8192 values are mostly distinct.
 */
export function buildNumberDictionary(
  values: Float64Array,
  byteWidth: number,
  maxBytes: number,
  scratch: EncodingScratch,
): ValueDictionary<number> | undefined {
  const maxEntries = Math.min(MAX_DICTIONARY_ENTRIES, Math.floor(maxBytes / byteWidth));
  let capacity = 1024;
  let table = new NumberTable(capacity);
  const entries: number[] = [];
  const indices = scratch.indices(values.length);
  let last = Number.NaN;
  let lastId = 0;
  for (let k = 0; k < values.length; k++) {
    if (k === EARLY_CHECK_VALUES && entries.length > k * MAX_EARLY_DISTINCT_RATIO) return undefined;
    const value = values[k] as number;
    if (value !== last) {
      let id = table.find(value);
      if (id < 0) {
        if (entries.length >= maxEntries) return undefined;
        id = entries.length;
        entries.push(value);
        if (entries.length * 2 > capacity) {
          capacity *= 2;
          table = new NumberTable(capacity);
          for (let e = 0; e < entries.length; e++) table.insert(entries[e] as number, e);
        } else {
          table.insert(value, id);
        }
      }
      last = value;
      lastId = id;
    }
    indices[k] = lastId;
  }
  return { entries, indices, entryBytes: entries.length * byteWidth };
}

/** Linear-probing table from integer-valued doubles to entry ids, keys and ids side by side. */
class NumberTable {
  private readonly keys: Float64Array;
  private readonly ids: Int32Array; // id + 1; 0 = empty slot
  private readonly mask: number;

  public constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** The id of `value`, or -1. */
  public find(value: number): number {
    let slot = hashNumber(value) & this.mask;
    for (;;) {
      const id = this.ids[slot] as number;
      if (id === 0) return -1;
      if (this.keys[slot] === value) return id - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds `value` (not yet present) with `id`. */
  public insert(value: number, id: number): void {
    let slot = hashNumber(value) & this.mask;
    while (this.ids[slot] !== 0) slot = (slot + 1) & this.mask;
    this.keys[slot] = value;
    this.ids[slot] = id + 1;
  }
}

/** Mixes both 32-bit halves of an integer-valued double into a table hash. */
function hashNumber(value: number): number {
  const high = (value / 4294967296) | 0;
  const h = Math.imul(value ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1);
  return h ^ (h >>> 15);
}
