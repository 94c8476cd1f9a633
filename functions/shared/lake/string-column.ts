import { copyWords, hashWords, sameWords, viewOf } from './byte-words.js';
import { grownArray } from './grown-array.js';
import { KeyIdCache } from './key-id-cache.js';
import {
  EARLY_CHECK_VALUES,
  MAX_DICTIONARY_ENTRIES,
  MAX_EARLY_DISTINCT_RATIO,
} from './value-dictionary.js';

const INITIAL_VALUES = 1024;
const INITIAL_HEAP_BYTES = 16 * 1024;
/** The 4-byte little-endian length before every entry (Parquet's PLAIN BYTE_ARRAY layout). */
const LENGTH_BYTES = 4;

/**
 * The values of one STRING column of a row group, as UTF-8 bytes, deduplicated into a dictionary
 * while they arrive. Each value is written at the end of `heap` (`reserve`, then the caller's
 * stores, then `commit`); while the dictionary lives, a value already seen is rolled back and
 * its entry reused, so the column holds each distinct value once, in first-seen order, and an
 * entry id per value. Once the dictionary is abandoned (too large, or the column turns out to
 * be nearly unique) every value becomes an entry of its own and nothing is hashed any more.
 *
 * Entries are laid out as Parquet's PLAIN BYTE_ARRAY encoding writes them (a 4-byte
 * little-endian length, then the bytes), back to back, so a dictionary page, or a run of PLAIN
 * values, is one copy of the heap.
 *
 * The dictionary keeps entries in first-seen order (so the output is deterministic) and is
 * abandoned once the PLAIN-encoded entries exceed `maxDictionaryBytes` or
 * {@link MAX_DICTIONARY_ENTRIES}, or when the first 8192 values are mostly distinct, as numeric
 * dictionaries are (`buildNumberDictionary`). Reused from one row group to the next (`reset`),
 * so steady-state ingest allocates nothing.
 */
export class StringColumn {
  /** Entry `i` (length prefix and bytes) is `heap[entryStarts[i], entryStarts[i + 1])`. */
  public heap = new Uint8Array(INITIAL_HEAP_BYTES);
  /** A DataView of `heap` (replaced with it), for callers that write values a word at a time. */
  public heapView = viewOf(this.heap);
  // The last source bytes appended from, and a view of them (a segment's input, a sensor).
  private source: Uint8Array = this.heap;
  private sourceView = this.heapView;
  /** Bytes used in `heap`. */
  public heapLength = 0;
  /** Start of every entry in `heap`, and the end of the last one at `[entryCount]`. */
  public entryStarts = new Int32Array(INITIAL_VALUES + 1);
  public entryCount = 0;
  /** Entry id of every non-null value, in row order. */
  public ids = new Int32Array(INITIAL_VALUES);
  /** Number of non-null values. */
  public count = 0;
  /** Per row, 1 for a value and 0 for null; only kept for nullable columns. */
  public levels: Uint8Array | undefined;
  /** Rows, nulls included. */
  public rows = 0;
  /** Sum over values of their UTF-16 length (the PLAIN size estimate readers of strings use). */
  public utf16Length = 0;
  /** PLAIN size of the entries (4-byte length + bytes each), while the dictionary lives. */
  public entryBytes = 0;
  /** False once the dictionary is abandoned (or when dictionaries are off). */
  public dictionary = true;
  private maxDictionaryBytes = 0;
  // Open-addressing table: slot → entry id + 1 (0 = empty); the entries' hashes beside them.
  private table = new Int32Array(2048);
  private tableMask = 2047;
  /**
   * Entries in `table`, which `reset` must clear. While the dictionary lives, entries
   * `[tableEntries, entryCount)` are the ones added by key and not hashed yet.
   */
  private tableEntries = 0;
  /** Entries added without a key: while there are none, a new key means a new value. */
  private unkeyedEntries = 0;
  private entryHashes = new Int32Array(INITIAL_VALUES);
  /** UTF-16 length of every entry (the PLAIN size estimate for JavaScript strings). */
  public entryUtf16 = new Int32Array(INITIAL_VALUES);
  private readonly keyIds = new KeyIdCache();

  /** @param nullable - whether the column keeps definition levels */
  public constructor(public readonly nullable: boolean) {
    if (nullable) this.levels = new Uint8Array(INITIAL_VALUES);
  }

  /**
   * Empties the column for a new row group, keeping its buffers.
   *
   * @param maxDictionaryBytes - dictionary size limit; 0 turns dictionaries off
   */
  public reset(maxDictionaryBytes: number): void {
    if (this.tableEntries > 0) this.table.fill(0);
    this.tableEntries = 0;
    this.unkeyedEntries = 0;
    this.keyIds.clear();
    this.heapLength = 0;
    this.entryCount = 0;
    this.count = 0;
    this.rows = 0;
    this.utf16Length = 0;
    this.entryBytes = 0;
    this.maxDictionaryBytes = maxDictionaryBytes;
    this.dictionary = maxDictionaryBytes > 0;
  }

  /** Adds a null; nullable columns only (the caller checks). */
  public appendNull(): void {
    const row = this.rows++;
    let levels = this.levels as Uint8Array;
    if (row === levels.length) levels = this.levels = grownArray(levels, row + 1);
    levels[row] = 0;
  }

  /**
   * Makes room for a value of up to `maxBytes` bytes and returns where it starts in `heap`; the
   * caller stores the bytes there and calls {@link commit} with the end.
   */
  public reserve(maxBytes: number): number {
    const needed = this.heapLength + LENGTH_BYTES + maxBytes;
    if (needed > this.heap.length) {
      this.heap = grownArray(this.heap, needed);
      this.heapView = viewOf(this.heap);
    }
    return this.heapLength + LENGTH_BYTES;
  }

  /**
   * Adds the ASCII value written at `heap[reserve(), end)`.
   * Use {@link commitText} when the bytes may be non-ASCII.
   */
  public commit(end: number): void {
    this.push(this.committed(end, end - this.heapLength - LENGTH_BYTES));
  }

  /** Adds the value written at `heap[reserve(), end)`, whose UTF-16 length is `utf16Length`. */
  public commitText(end: number, utf16Length: number): void {
    this.push(this.committed(end, utf16Length));
  }

  /**
   * {@link commitText} for a value the caller knows to differ from every other value of the
   * column (a line reference): it is kept without being looked up.
   */
  public commitDistinct(end: number, utf16Length: number): void {
    if (!this.dictionary) {
      this.push(this.newEntry(end, utf16Length));
      return;
    }
    this.unkeyedEntries++;
    this.push(this.newUnhashed(end, utf16Length));
  }

  /** Adds the UTF-8 text `source[start, end)`, whose UTF-16 length is `utf16Length`. */
  public appendBytes(source: Uint8Array, start: number, end: number, utf16Length: number): void {
    this.push(this.entryOf(source, start, end, utf16Length));
  }

  /** Adds a JavaScript string, as UTF-8. */
  public appendString(value: string): void {
    this.push(this.entryOfString(value));
  }

  /**
   * Adds the UTF-8 text `source[start, end)` that `key` stands for: `key` is a 32-bit integer
   * naming this value and no other in this column (an IPv4 address for its dotted quad), so a
   * value seen before costs one lookup, and a new one no hashing of its bytes.
   */
  public appendKeyed(
    key: number,
    source: Uint8Array,
    start: number,
    end: number,
    utf16Length: number,
  ): void {
    // Without a dictionary every value is written as it comes: a lookup would gain nothing.
    if (!this.dictionary) {
      this.push(this.newEntry(this.copy(source, start, end), utf16Length));
      return;
    }
    let id = this.keyIds.get(key | 0);
    if (id < 0) {
      // While every entry came with its key, a key not seen yet is a value not seen yet.
      id =
        this.unkeyedEntries === 0
          ? this.newUnhashed(this.copy(source, start, end), utf16Length)
          : this.entryOf(source, start, end, utf16Length);
      this.keyIds.set(key, id);
    }
    this.push(id);
  }

  /** {@link appendKeyed} for a JavaScript string. */
  public appendKeyedString(key: number, value: string): void {
    let id = this.keyIds.get(key | 0);
    if (id < 0) {
      id = this.entryOfString(value);
      this.keyIds.set(key, id);
    }
    this.push(id);
  }

  /** The entry of the value at `heap[reserve(), end)`: an existing one, or the value kept. */
  private committed(end: number, utf16Length: number): number {
    if (!this.dictionary) return this.newEntry(end, utf16Length);
    const start = this.heapLength + LENGTH_BYTES;
    const hash = hashWords(this.heapView, start, end);
    const id = this.find(hash, this.heapView, start, end);
    return id >= 0 ? id : this.newInterned(hash, end, utf16Length);
  }

  /** The entry of the value `source[start, end)`: an existing one, or a copy kept. */
  private entryOf(source: Uint8Array, start: number, end: number, utf16Length: number): number {
    if (!this.dictionary) return this.newEntry(this.copy(source, start, end), utf16Length);
    // Looked up before it is copied: a value seen before costs no copy.
    const view = this.viewOfSource(source);
    const hash = hashWords(view, start, end);
    const id = this.find(hash, view, start, end);
    if (id >= 0) return id;
    return this.newInterned(hash, this.copy(source, start, end), utf16Length);
  }

  /** The entry of a JavaScript string (as UTF-8). */
  private entryOfString(value: string): number {
    const at = this.reserve(value.length * 3);
    return this.committed(at + encodeUtf8Into(value, this.heap, at), value.length);
  }

  /** Copies `source[start, end)` to where the next entry's bytes go; returns their end. */
  private copy(source: Uint8Array, start: number, end: number): number {
    const at = this.reserve(end - start);
    copyWords(this.viewOfSource(source), start, this.heapView, at, end - start);
    return at + end - start;
  }

  /** A DataView of `source`, kept while the same bytes are appended from. */
  private viewOfSource(source: Uint8Array): DataView {
    if (source !== this.source) {
      this.source = source;
      this.sourceView = viewOf(source);
    }
    return this.sourceView;
  }

  /** Adds a row holding entry `id`. */
  private push(id: number): void {
    const row = this.rows++;
    if (this.levels !== undefined) {
      if (row === this.levels.length) this.levels = grownArray(this.levels, row + 1);
      this.levels[row] = 1;
    }
    this.utf16Length += this.entryUtf16[id] as number;
    const k = this.count++;
    if (k === this.ids.length) this.ids = grownArray(this.ids, k + 1);
    this.ids[k] = id;
    if (
      this.count === EARLY_CHECK_VALUES &&
      this.dictionary &&
      this.entryCount > EARLY_CHECK_VALUES * MAX_EARLY_DISTINCT_RATIO
    ) {
      this.dictionary = false;
    }
  }

  /** The entry holding the bytes `source[start, end)` (whose hash is `hash`), or -1. */
  private find(hash: number, source: DataView, start: number, end: number): number {
    if (this.tableEntries < this.entryCount) this.hashEveryEntry();
    const heap = this.heapView;
    const length = end - start;
    const table = this.table;
    const mask = this.tableMask;
    const starts = this.entryStarts;
    const hashes = this.entryHashes;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = table[slot] as number;
      if (stored === 0) return -1;
      const id = stored - 1;
      if (hashes[id] === hash) {
        const from = (starts[id] as number) + LENGTH_BYTES;
        if ((starts[id + 1] as number) - from === length) {
          if (sameWords(heap, from, source, start, length)) return id;
        }
      }
    }
  }

  /**
   * Keeps the value at `heap[reserve(), end)` as a new dictionary entry, hashed; abandons the
   * dictionary (keeping the entry, unhashed) when it grows past its limits.
   */
  private newInterned(hash: number, end: number, utf16Length: number): number {
    this.unkeyedEntries++;
    const id = this.newUnhashed(end, utf16Length);
    if (!this.dictionary) return id;
    if (id === this.entryHashes.length) this.entryHashes = grownArray(this.entryHashes, id + 1);
    this.entryHashes[id] = hash;
    this.insertHashed(id);
    return id;
  }

  /** Keeps a new dictionary entry without hashing it, checking the dictionary's limits. */
  private newUnhashed(end: number, utf16Length: number): number {
    this.entryBytes += end - this.heapLength;
    const id = this.newEntry(end, utf16Length);
    if (this.entryBytes > this.maxDictionaryBytes || id >= MAX_DICTIONARY_ENTRIES) {
      this.dictionary = false;
    }
    return id;
  }

  /** Puts entry `id` (its hash known) into the table. */
  private insertHashed(id: number): void {
    const mask = this.tableMask;
    let slot = (this.entryHashes[id] as number) & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = id + 1;
    if (++this.tableEntries * 2 > mask) this.growTable();
  }

  /**
   * Hashes the entries that were added by key without hashing (see {@link appendKeyed}), once a
   * value without a key needs to be looked up among them.
   */
  private hashEveryEntry(): void {
    for (let id = this.tableEntries; id < this.entryCount; id++) {
      if (id === this.entryHashes.length) this.entryHashes = grownArray(this.entryHashes, id + 1);
      const from = (this.entryStarts[id] as number) + LENGTH_BYTES;
      this.entryHashes[id] = hashWords(this.heapView, from, this.entryStarts[id + 1] as number);
      this.insertHashed(id);
    }
  }

  /** Keeps the value at `heap[reserve(), end)` as a new entry, with its length before it. */
  private newEntry(end: number, utf16Length: number): number {
    const id = this.entryCount++;
    if (id + 1 === this.entryStarts.length) this.entryStarts = grownArray(this.entryStarts, id + 2);
    if (id === this.entryUtf16.length) this.entryUtf16 = grownArray(this.entryUtf16, id + 1);
    const at = this.heapLength;
    const length = end - at - LENGTH_BYTES;
    const heap = this.heap;
    heap[at] = length;
    heap[at + 1] = length >>> 8;
    heap[at + 2] = length >>> 16;
    heap[at + 3] = length >>> 24;
    this.entryUtf16[id] = utf16Length;
    this.entryStarts[id] = at;
    this.entryStarts[id + 1] = end;
    this.heapLength = end;
    return id;
  }

  private growTable(): void {
    const capacity = this.table.length * 2;
    const table = new Int32Array(capacity);
    const mask = capacity - 1;
    const hashes = this.entryHashes;
    for (let id = 0; id < this.tableEntries; id++) {
      let slot = (hashes[id] as number) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
    this.tableMask = mask;
  }
}

/**
 * Writes `value` as UTF-8 at `out[at…]` (room for `value.length * 3` bytes is the caller's) and
 * returns the byte count. ASCII, the common case, is copied by hand; anything else goes through
 * `Buffer#write`, which encodes lone surrogates as U+FFFD like every other UTF-8 path in Node.
 */
function encodeUtf8Into(value: string, out: Uint8Array, at: number): number {
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) {
      const buffer = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
      return i + buffer.write(value.slice(i), at + i, 'utf8');
    }
    out[at + i] = c;
  }
  return length;
}
