/**
 * Seeded pseudo-random numbers (mulberry32), no global state: the same seed gives the same
 * sequence, so a fault with a rate, a scenario's per-meter variation or a fuzz run replays
 * identically in tests and in CI.
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** mulberry32: a stream of uniform 32-bit unsigned words from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** 32-bit avalanche mix (the murmur3 finaliser). */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface RandomSource {
  /** Uniform in [0, 1). */
  next(): number;
}

/** Uniform numbers with 32 random bits each, plus integers, picks and bytes drawn from them. */
export class SeededRandom implements RandomSource {
  private readonly word: () => number;

  constructor(seed: number) {
    this.word = mulberry32(seed);
  }

  /** Uniform in [0, 1), one 32-bit draw. */
  next(): number {
    return this.word() / TWO_POW_32;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  bytes(length: number): number[] {
    return Array.from({ length }, () => this.int(0, 255));
  }
}

export function seededRandom(seed: number): SeededRandom {
  return new SeededRandom(seed);
}

/**
 * Uniform doubles with 53 random bits (two 32-bit draws each); the seed is mixed first so that
 * neighbouring seeds (meter 1, 2, 3 ...) start far apart.
 */
export class SequentialRandom implements RandomSource {
  private readonly word: () => number;

  constructor(seed: number) {
    this.word = mulberry32(mix32(Math.floor(seed) ^ 0x6d2b79f5));
  }

  /** Uniform in [0, 1). */
  next(): number {
    const a = this.word() >>> 5;
    const b = this.word() >>> 6;
    return (a * 67108864 + b) / TWO_POW_53;
  }

  /** Uniform in [low, high). */
  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }
}
