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
export const EARLY_CHECK_VALUES = 8192;
export const MAX_EARLY_DISTINCT_RATIO = 0.75;

/** A column chunk's dictionary: how many distinct values, and the entry of each non-null value. */
export interface ValueDictionary {
  /** Number of distinct values. */
  readonly size: number;
  /** Entry index of every non-null value, in row order (a view of a scratch array). */
  readonly indices: Int32Array;
  /** Size of the dictionary page before compression (PLAIN-encoded entries). */
  readonly entryBytes: number;
}

/** The dictionary of a numeric column chunk, with its entries. */
export interface NumberDictionary extends ValueDictionary {
  /** Distinct values in first-seen order (so the output is deterministic). */
  readonly entries: readonly number[];
}

/** Values below this index a table directly when a chunk holds no other (ports, protocols). */
export const DIRECT_INDEX_LIMIT = 1 << 16;

/**
 * Builds the dictionary of an integer column chunk from its non-null values, with an
 * open-addressing table on typed arrays (a `Map` boxes every number above 2^31), or, when every
 * value is an integer in [0, 65536) (`min` and `max` say so), with the values themselves as
 * indices into a table. Gives up (returns `undefined`) once the entries exceed `maxBytes` at
 * `byteWidth` bytes each, or when the first 8192 values are mostly distinct.
 *
 * @param min - the smallest value, when known
 * @param max - the largest value, when known
 */
export function buildNumberDictionary(
  values: Float64Array,
  byteWidth: number,
  maxBytes: number,
  scratch: EncodingScratch,
  min = Number.NEGATIVE_INFINITY,
  max = Number.POSITIVE_INFINITY,
): NumberDictionary | undefined {
  const maxEntries = Math.min(MAX_DICTIONARY_ENTRIES, Math.floor(maxBytes / byteWidth));
  const entries: number[] = [];
  const indices = scratch.indices(values.length);
  if (min >= 0 && max < DIRECT_INDEX_LIMIT) {
    const ids = scratch.directIds(DIRECT_INDEX_LIMIT);
    try {
      return byDirectIndex(values, byteWidth, maxEntries, entries, indices, ids);
    } finally {
      for (const entry of entries) ids[entry] = 0;
    }
  }
  let capacity = 1024;
  let table = new NumberTable(scratch, capacity);
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
          table = new NumberTable(scratch, capacity);
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
  return { size: entries.length, entries, indices, entryBytes: entries.length * byteWidth };
}

/**
 * `buildNumberDictionary` for small non-negative integers: `ids[value]` holds the entry id + 1
 * (all zero on entry; the caller clears what was set).
 */
function byDirectIndex(
  values: Float64Array,
  byteWidth: number,
  maxEntries: number,
  entries: number[],
  indices: Int32Array,
  ids: Int32Array,
): NumberDictionary | undefined {
  for (let k = 0; k < values.length; k++) {
    if (k === EARLY_CHECK_VALUES && entries.length > k * MAX_EARLY_DISTINCT_RATIO) return undefined;
    const value = values[k] as number;
    let id = (ids[value] as number) - 1;
    if (id < 0) {
      if (entries.length >= maxEntries) return undefined;
      id = entries.length;
      entries.push(value);
      ids[value] = id + 1;
    }
    indices[k] = id;
  }
  return { size: entries.length, entries, indices, entryBytes: entries.length * byteWidth };
}

/**
 * Linear-probing table from integer-valued doubles to entry ids, keys and ids side by side, on
 * the scratch's arrays (a new table empties them, so a growing table reinserts its entries).
 */
class NumberTable {
  private readonly keys: Float64Array;
  private readonly ids: Int32Array; // id + 1; 0 = empty slot
  private readonly mask: number;

  /** @param capacity - a power of two */
  public constructor(scratch: EncodingScratch, capacity: number) {
    this.keys = scratch.tableKeys(capacity);
    this.ids = scratch.tableIds(capacity);
    this.ids.fill(0);
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
