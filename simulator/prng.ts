/**
 * A small seeded pseudo-random generator (xoshiro128**), so that the same seed gives the same
 * hospital byte for byte on every machine. `Math.random` is never used: it cannot be seeded.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed any 32-bit integer; expanded with splitmix32 so nearby seeds diverge at once. */
  public constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
  }

  /** The next 32-bit unsigned integer. */
  public nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A float in [0, 1). */
  public float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, n). */
  public int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** An integer in [min, max]. */
  public between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability p. */
  public chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty list. */
  public pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A standard normal deviate (Box–Muller). */
  public normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** A log-normal value with the given median and shape (sigma of the underlying normal). */
  public lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** An exponential value with the given mean. */
  public exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** A Poisson count with mean lambda (Knuth below 30, normal approximation above). */
  public poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** FNV-1a hash of a text, for deriving stream seeds and stable identifiers. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * An independent generator per named stream: each behaviour and each attack draws from its own,
 * so enabling one attack never shifts the benign traffic around it.
 */
export function prngStream(seed: number, stream: string): Prng {
  return new Prng(hashText(`${seed}:${stream}`));
}

/** A stateless 32-bit mix of an integer (for identifiers that must not consume a stream). */
export function mix32(value: number): number {
  let z = (value + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
