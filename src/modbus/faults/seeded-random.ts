/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence,
 * so a fault scenario with a rate or a jitter replays identically in tests and in CI.
 */
export interface RandomSource {
  /** Uniform in [0, 1). */
  next(): number;
}

export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
