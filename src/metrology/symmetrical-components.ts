/**
 * Symmetrical components of three fundamental phasors (Fortescue): unbalance ratio
 * |negative| / |positive| and the phase sequence.
 */
import type { PhaseSequence } from './measurement.js';

export interface Phasor {
  /** RMS magnitude. */
  readonly magnitude: number;
  /** Phase (radians, cosine reference). */
  readonly phase: number;
}

export interface SequenceAnalysis {
  readonly positive: number;
  readonly negative: number;
  /** |negative| / |positive| (0 when the positive sequence vanishes). */
  readonly unbalance: number;
  readonly sequence: PhaseSequence;
}

/** |Va + e^{i rotateB} Vb + e^{i rotateC} Vc| / 3. */
function component(a: Phasor, b: Phasor, c: Phasor, rotateB: number, rotateC: number): number {
  const re = a.magnitude * Math.cos(a.phase) + b.magnitude * Math.cos(b.phase + rotateB) + c.magnitude * Math.cos(c.phase + rotateC);
  const im = a.magnitude * Math.sin(a.phase) + b.magnitude * Math.sin(b.phase + rotateB) + c.magnitude * Math.sin(c.phase + rotateC);
  return Math.hypot(re, im) / 3;
}

export function sequenceComponents(a: Phasor, b: Phasor, c: Phasor): SequenceAnalysis {
  const third = (2 * Math.PI) / 3;
  // V+ = (Va + alpha Vb + alpha^2 Vc) / 3, V- = (Va + alpha^2 Vb + alpha Vc) / 3, alpha = e^{i 2pi/3}.
  const positive = component(a, b, c, third, -third);
  const negative = component(a, b, c, -third, third);
  const largest = Math.max(a.magnitude, b.magnitude, c.magnitude);
  const unbalance = positive > 1e-12 * Math.max(largest, 1e-300) && positive > 0 ? negative / positive : 0;
  let sequence: PhaseSequence = 'unknown';
  // A clear majority of one sequence over the other is needed (single-phase: both equal).
  if (largest > 0 && Math.abs(positive - negative) > 0.05 * largest) {
    sequence = positive > negative ? 'abc' : 'acb';
  }
  return { positive, negative, unbalance, sequence };
}
