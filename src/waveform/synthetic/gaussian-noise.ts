/**
 * Counter-based Gaussian noise: `gaussianAt(seed, stream, index)` is a pure function of
 * (seed, stream, index), so re-reading the same samples gives the same noise. (Sequential
 * per-meter variation uses `SequentialRandom` from src/common/seeded-random.ts.)
 */
import { mix32 } from '../../common/seeded-random.js';

/** Hash of four 32-bit words. */
function hash4(a: number, b: number, c: number, d: number): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(b ^ 0x7f4a7c15, 0x01000193));
  h = mix32(h ^ Math.imul(c ^ 0x94d049bb, 0x01000193));
  h = mix32(h ^ Math.imul(d ^ 0x2545f491, 0x01000193));
  return h;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** Uniform in the open interval (0, 1) with 53 random bits, from (seed, stream, index, lane). */
function uniformAt(seed: number, stream: number, index: number, lane: number): number {
  const lo = index % TWO_POW_32;
  const hi = Math.floor(index / TWO_POW_32);
  const a = hash4(seed, stream * 4 + lane * 2, lo, hi) >>> 5; // 27 bits
  const b = hash4(seed, stream * 4 + lane * 2 + 1, lo, hi) >>> 6; // 26 bits
  return (a * 67108864 + b + 0.5) / TWO_POW_53;
}

/** Standard normal deviate (Box-Muller) determined by (seed, stream, index). */
export function gaussianAt(seed: number, stream: number, index: number): number {
  const u1 = uniformAt(seed, stream, index, 0);
  const u2 = uniformAt(seed, stream, index, 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
