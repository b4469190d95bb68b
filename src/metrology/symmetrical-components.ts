/**
 * Symmetrical components of three fundamental phasors (Fortescue): unbalance ratio
 * |negative| / |positive| and the phase sequence. The one routine both measurement paths use: the
 * sample path (window-measurement.ts, polar phasors from its DFT) and the phasor path
 * (phasor/electrical-parts.ts, rectangular phasors from the scenario model).
 *
 *   X+ = (Xa + a Xb + a^2 Xc) / 3,  X- = (Xa + a^2 Xb + a Xc) / 3,  a = e^{j 2 pi / 3}
 *
 * Phase sequence: 'abc' or 'acb' by the larger component, but only when the two differ by more
 * than SEQUENCE_MARGIN (5 %) of the largest phase magnitude; otherwise 'unknown'. Why 5 % of the
 * largest phase and not a rounding-level tie: with one live phase (or two in phase) X+ and X-
 * are equal in exact arithmetic, but a measured window carries noise and leakage on the dead
 * phases, so a rounding-level rule would call 'abc' or 'acb' at random from the samples while the
 * analytic phasor path says 'unknown'. A margin well above measurement error (the accuracy tests
 * hold unbalance to 1e-4) and well below any real three-phase supply (a balanced one differs by
 * 100 % of the phase magnitude; a lost phase still by 33 %) makes both paths give the same answer.
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

/** |X+ - X-| must exceed this share of the largest phase magnitude to name a sequence. */
export const SEQUENCE_MARGIN = 0.05;

const A_RE = Math.cos((2 * Math.PI) / 3);
const A_IM = Math.sin((2 * Math.PI) / 3);

/** Fortescue on rectangular phasors: (aRe + j aIm), (bRe + j bIm), (cRe + j cIm). */
export function sequenceComponentsOf(aRe: number, aIm: number, bRe: number, bIm: number, cRe: number, cIm: number): SequenceAnalysis {
  // a (x + jy) = (A_RE x - A_IM y) + j (A_IM x + A_RE y); a^2 = conj(a).
  const bPlusRe = A_RE * bRe - A_IM * bIm;
  const bPlusIm = A_IM * bRe + A_RE * bIm;
  const bMinusRe = A_RE * bRe + A_IM * bIm;
  const bMinusIm = -A_IM * bRe + A_RE * bIm;
  const cPlusRe = A_RE * cRe + A_IM * cIm;
  const cPlusIm = -A_IM * cRe + A_RE * cIm;
  const cMinusRe = A_RE * cRe - A_IM * cIm;
  const cMinusIm = A_IM * cRe + A_RE * cIm;
  const positive = Math.hypot(aRe + bPlusRe + cPlusRe, aIm + bPlusIm + cPlusIm) / 3;
  const negative = Math.hypot(aRe + bMinusRe + cMinusRe, aIm + bMinusIm + cMinusIm) / 3;
  const largest = Math.max(Math.hypot(aRe, aIm), Math.hypot(bRe, bIm), Math.hypot(cRe, cIm));
  // The positive sequence counts only above rounding level (three phases in phase leave ~1e-16).
  const unbalance = positive > 1e-12 * Math.max(largest, 1e-300) && positive > 0 ? negative / positive : 0;
  let sequence: PhaseSequence = 'unknown';
  if (largest > 0 && Math.abs(positive - negative) > SEQUENCE_MARGIN * largest) {
    sequence = positive > negative ? 'abc' : 'acb';
  }
  return { positive, negative, unbalance, sequence };
}

/** Fortescue on polar phasors. */
export function sequenceComponents(a: Phasor, b: Phasor, c: Phasor): SequenceAnalysis {
  return sequenceComponentsOf(
    a.magnitude * Math.cos(a.phase),
    a.magnitude * Math.sin(a.phase),
    b.magnitude * Math.cos(b.phase),
    b.magnitude * Math.sin(b.phase),
    c.magnitude * Math.cos(c.phase),
    c.magnitude * Math.sin(c.phase),
  );
}

/** A window's phase sequence: the voltages', or the currents' when the voltages name none. */
export function windowPhaseSequence(voltage: SequenceAnalysis, current: SequenceAnalysis): PhaseSequence {
  return voltage.sequence !== 'unknown' ? voltage.sequence : current.sequence;
}
