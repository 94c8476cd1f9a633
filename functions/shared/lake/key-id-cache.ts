/** Keys below this are looked up directly (zone codes, directions, actions). */
const SMALL_KEYS = 256;

/**
 * Integer keys to dictionary entry ids, for a column whose values the caller can name by a
 * number (an IPv4 address, a zone code): a value seen before then costs one table probe
 * instead of copying, hashing and comparing its bytes. Open addressing on typed arrays; small
 * keys index an array of their own.
 */
export class KeyIdCache {
  /** Entry id + 1 per small key; 0 = not cached. */
  private readonly small = new Int32Array(SMALL_KEYS);
  private smallUsed = false;
  private keys = new Int32Array(1024);
  /** Entry id + 1 per slot; 0 = empty. */
  private ids = new Int32Array(1024);
  private mask = 1023;
  private size = 0;

  /** The id cached for `key` (a 32-bit integer), or -1. */
  public get(key: number): number {
    if (key >= 0 && key < SMALL_KEYS) return (this.small[key] as number) - 1;
    const keys = this.keys;
    const ids = this.ids;
    const mask = this.mask;
    let slot = slotOf(key, mask);
    for (;;) {
      const id = ids[slot] as number;
      if (id === 0) return -1;
      if (keys[slot] === key) return id - 1;
      slot = (slot + 1) & mask;
    }
  }

  /** Caches `id` for `key`, which is not cached yet. */
  public set(key: number, id: number): void {
    if (key >= 0 && key < SMALL_KEYS) {
      this.small[key] = id + 1;
      this.smallUsed = true;
      return;
    }
    if (++this.size * 2 > this.mask) this.grow();
    this.insert(key | 0, id + 1);
  }

  /** Forgets every key. */
  public clear(): void {
    if (this.smallUsed) this.small.fill(0);
    this.smallUsed = false;
    if (this.size === 0) return;
    this.ids.fill(0);
    this.size = 0;
  }

  private insert(key: number, storedId: number): void {
    const mask = this.mask;
    let slot = slotOf(key, mask);
    while (this.ids[slot] !== 0) slot = (slot + 1) & mask;
    this.keys[slot] = key;
    this.ids[slot] = storedId;
  }

  private grow(): void {
    const keys = this.keys;
    const ids = this.ids;
    this.keys = new Int32Array(keys.length * 2);
    this.ids = new Int32Array(ids.length * 2);
    this.mask = this.keys.length - 1;
    for (let slot = 0; slot < ids.length; slot++) {
      if (ids[slot] !== 0) this.insert(keys[slot] as number, ids[slot] as number);
    }
  }
}

function slotOf(key: number, mask: number): number {
  const h = Math.imul(key, 0x9e3779b1);
  return (h ^ (h >>> 16)) & mask;
}
