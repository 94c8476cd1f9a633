/**
 * A binary prefix trie keyed by address bits, with ranked values attached to prefixes.
 *
 * A lookup walks at most `bitWidth` nodes (32 for IPv4, 128 for IPv6) whatever the number of
 * prefixes, and sees every prefix that covers the address on the way. That lets callers choose
 * the semantics: {@link PrefixTrie.matchFirst} returns the value with the smallest rank (config
 * order, "first match wins"), not the longest match; {@link PrefixTrie.matchAll} returns them all.
 *
 * Nodes live in parallel typed arrays (child indexes and the best rank per node) so a lookup
 * touches no objects and allocates nothing.
 */
export class PrefixTrie<V> {
  /** Number of key bits: 32 for IPv4, 128 for IPv6. */
  public readonly bitWidth: number;
  private zero: Int32Array;
  private one: Int32Array;
  /** Smallest rank of the values attached at each node; +Infinity where none. */
  private best: Float64Array;
  /** Index into `values` of the smallest-rank value at each node; -1 where none. */
  private bestValue: Int32Array;
  private nodeCount = 1;
  private readonly values: V[] = [];
  /** Every value attached at a node, for `matchAll`, in insertion order. */
  private readonly entries = new Map<number, { readonly rank: number; readonly value: V }[]>();

  /**
   * @param bitWidth key length in bits: 32 (IPv4) or 128 (IPv6)
   */
  public constructor(bitWidth: 32 | 128) {
    this.bitWidth = bitWidth;
    const capacity = 64;
    this.zero = new Int32Array(capacity);
    this.one = new Int32Array(capacity);
    this.best = new Float64Array(capacity).fill(Number.POSITIVE_INFINITY);
    this.bestValue = new Int32Array(capacity).fill(-1);
  }

  /** Number of values inserted. */
  public get size(): number {
    return this.values.length;
  }

  /**
   * Attaches `value` to the prefix made of the first `prefixLength` bits of `key`.
   *
   * @param key address bytes, network order (`bitWidth / 8` bytes)
   * @param prefixLength 0 … `bitWidth`
   * @param rank smaller wins in {@link matchFirst}; equal ranks keep the first inserted
   */
  public insert(key: Uint8Array, prefixLength: number, value: V, rank: number): void {
    if (key.length * 8 !== this.bitWidth || prefixLength < 0 || prefixLength > this.bitWidth) {
      throw new RangeError(
        `expected a ${this.bitWidth / 8}-byte key and a prefix length 0–${this.bitWidth}, got ${key.length} bytes /${prefixLength}`,
      );
    }
    let node = 0;
    for (let depth = 0; depth < prefixLength; depth++) {
      const bit = ((key[depth >>> 3] as number) >>> (7 - (depth & 7))) & 1;
      const children = bit === 0 ? this.zero : this.one;
      let next = children[node] as number;
      if (next === 0) {
        next = this.allocateNode();
        // allocateNode may have replaced the arrays.
        (bit === 0 ? this.zero : this.one)[node] = next;
      }
      node = next;
    }
    const index = this.values.push(value) - 1;
    if (rank < (this.best[node] as number)) {
      this.best[node] = rank;
      this.bestValue[node] = index;
    }
    const list = this.entries.get(node);
    if (list === undefined) this.entries.set(node, [{ rank, value }]);
    else list.push({ rank, value });
  }

  /**
   * The value with the smallest rank among all prefixes that cover `key`.
   *
   * @returns undefined when no prefix covers `key`
   */
  public matchFirst(key: Uint8Array, offset = 0): V | undefined {
    const zero = this.zero;
    const one = this.one;
    const best = this.best;
    let node = 0;
    let bestRank = best[0] as number;
    let bestNode = 0;
    for (let depth = 0; depth < this.bitWidth; depth++) {
      const bit = ((key[offset + (depth >>> 3)] as number) >>> (7 - (depth & 7))) & 1;
      node = (bit === 0 ? zero[node] : one[node]) as number;
      if (node === 0) break;
      const rank = best[node] as number;
      if (rank < bestRank) {
        bestRank = rank;
        bestNode = node;
      }
    }
    return this.valueAt(bestNode, bestRank);
  }

  /**
   * {@link matchFirst} for a 32-bit trie keyed by an unsigned 32-bit integer (a parsed IPv4
   * address), so the hot path needs no byte array.
   */
  public matchFirstUint32(key: number): V | undefined {
    const zero = this.zero;
    const one = this.one;
    const best = this.best;
    let node = 0;
    let bestRank = best[0] as number;
    let bestNode = 0;
    for (let depth = 0; depth < 32; depth++) {
      node = (((key >>> (31 - depth)) & 1) === 0 ? zero[node] : one[node]) as number;
      if (node === 0) break;
      const rank = best[node] as number;
      if (rank < bestRank) {
        bestRank = rank;
        bestNode = node;
      }
    }
    return this.valueAt(bestNode, bestRank);
  }

  /**
   * Every value whose prefix covers `key`, shortest prefix first; values on the same prefix in
   * rank order (then insertion order).
   */
  public matchAll(key: Uint8Array, offset = 0): V[] {
    const found: V[] = [];
    let node = 0;
    for (let depth = 0; ; depth++) {
      const list = this.entries.get(node);
      if (list !== undefined) {
        const sorted = list.length > 1 ? [...list].sort((a, b) => a.rank - b.rank) : list;
        for (const entry of sorted) found.push(entry.value);
      }
      if (depth === this.bitWidth) break;
      const bit = ((key[offset + (depth >>> 3)] as number) >>> (7 - (depth & 7))) & 1;
      node = (bit === 0 ? this.zero[node] : this.one[node]) as number;
      if (node === 0) break;
    }
    return found;
  }

  private valueAt(node: number, rank: number): V | undefined {
    if (rank === Number.POSITIVE_INFINITY) return undefined;
    return this.values[this.bestValue[node] as number];
  }

  private allocateNode(): number {
    if (this.nodeCount === this.zero.length) {
      const capacity = this.zero.length * 2;
      const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
        const next = make(capacity);
        next.set(old);
        return next;
      };
      this.zero = grow(this.zero, (n) => new Int32Array(n));
      this.one = grow(this.one, (n) => new Int32Array(n));
      this.best = grow(this.best, (n) => new Float64Array(n).fill(Number.POSITIVE_INFINITY));
      this.bestValue = grow(this.bestValue, (n) => new Int32Array(n).fill(-1));
    }
    return this.nodeCount++;
  }
}
