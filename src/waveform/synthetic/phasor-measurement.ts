/**
 * The phasor path: the exact WindowMeasurement of a synthetic scenario, computed analytically from
 * its phasors, without samples. Independent of the metrology engine; every formula is below.
 *
 * Notation, per phase p and order h (h = 0 is DC): voltage phasor U_h = X_h e^{j alpha_h}, current
 * phasor I_h = X_h e^{j beta_h} (RMS magnitudes, absolute phases as in model.ts), noise standard
 * deviations sigma_u, sigma_i (white, independent, zero mean).
 *
 * Window: starts at t0 and holds N whole cycles (N = 10 at 50 Hz nominal, 12 at 60 Hz nominal);
 * its duration T solves cycles(t0 + T) - cycles(t0) = N (Newton's method on the exact phase
 * integral), and frequency = N / T, as "whole cycles / their duration".
 *
 * When scheduled changes cut the window into pieces s of duration fraction w_s (sum w_s = 1):
 *   mean-square quantities and P are exact time averages:  Urms^2 = sum_s w_s Urms_s^2,  P = sum_s w_s P_s;
 *   harmonic phasors are time-weighted complex averages  X_h = sum_s w_s X_h,s  (what a DFT over the
 *   window sees, ignoring the spectral leakage of the step itself).
 * With no change in the window (the usual case) there is one piece and everything is exact.
 *
 * Per phase:
 *   Urms       = sqrt(U_0^2 + sum_{h>=1} |U_h|^2 + sigma_u^2)          (harmonics are orthogonal over whole cycles)
 *   Irms       likewise
 *   P          = U_0 I_0 + sum_{h>=1} |U_h| |I_h| cos(alpha_h - beta_h)    (noise uncorrelated: no contribution)
 *   Q1         = |U_1| |I_1| sin(alpha_1 - beta_1)                       (positive when the current lags)
 *   P1         = |U_1| |I_1| cos(alpha_1 - beta_1)
 *   Budeanu Q  = sum_{h>=1} |U_h| |I_h| sin(alpha_h - beta_h)
 *   S          = Urms Irms;  N = sqrt(max(0, S^2 - P^2));  PF = P / S (1 when S = 0)
 *   DPF        = P1 / sqrt(P1^2 + Q1^2) = cos(alpha_1 - beta_1) (1 when U_1 I_1 = 0)
 *   THD        = sqrt(sum_{h=2}^{31} |X_h|^2) / |X_1| (0 when X_1 = 0)
 *   harmonics  = |X_h| for h = 0..31 (index 0: |DC|); phase = arg(X_h) - h * arg(U_1 of phase A),
 *                wrapped to (-pi, pi] (DC: 0 or pi by its sign). When phase A's voltage is zero the
 *                reference is arg = 0.
 * Line-to-line Ujk: the phasor difference per order, U_jk,h = U_j,h - U_k,h (DC likewise):
 *   Ujk = sqrt(sum_h |U_jk,h|^2 + sigma_uj^2 + sigma_uk^2)
 * Neutral: I_N,h = I_a,h + I_b,h + I_c,h per order (triplens of a balanced load add up):
 *   IN = sqrt(sum_h |I_N,h|^2 + sigma_ia^2 + sigma_ib^2 + sigma_ic^2)
 * Sequence components of the fundamentals, a = e^{j 2 pi / 3}:
 *   X+ = (Xa + a Xb + a^2 Xc) / 3,  X- = (Xa + a^2 Xb + a Xc) / 3,  unbalance = |X-| / |X+| (0 when X+ = 0)
 *   phase sequence 'abc' when |U+| > |U-|, 'acb' when |U-| > |U+|, else (equal, or no voltage) 'unknown'.
 * Totals: P = sum P_p, Q = sum Q1_p, S = sum S_p (arithmetic), vector S = sqrt(P^2 + Q^2),
 *   PF = P / S (1 when S = 0), DPF = sum P1_p / sqrt((sum P1_p)^2 + (sum Q1_p)^2) (1 when zero).
 * Orders above 31 count in RMS, P, line voltages and neutral, not in the arrays or THD.
 */
import {
  HARMONIC_ORDERS,
  type PhaseMeasurement,
  type PhaseSequence,
  type WindowMeasurement,
} from '../../metrology/measurement.js';
import { channelPhasors, noiseSigma, type SyntheticModel, type WaveformSpec } from './model.js';
import type { ScenarioTimeline } from './scenario-timeline.js';

/** Complex spectrum of one channel: re/im per order (0 = DC, real), RMS phasors. */
interface Spectrum {
  re: Float64Array;
  im: Float64Array;
  /** Mean square of the channel (including noise and orders above the array). */
  meanSquare: number;
}

/** Spectra cover orders 0..maxOrder of the model (at least HARMONIC_ORDERS). */
function spectrumOf(spec: WaveformSpec, size: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  re[0] = spec.dcOffset;
  for (const p of channelPhasors(spec)) {
    re[p.order] += p.rms * Math.cos(p.phaseRad);
    im[p.order] += p.rms * Math.sin(p.phaseRad);
  }
  return { re, im };
}

function maxOrderOf(model: SyntheticModel): number {
  let m = HARMONIC_ORDERS;
  for (const ph of model.phases) {
    for (const h of ph.voltage.harmonics) m = Math.max(m, h.order);
    for (const h of ph.current.harmonics) m = Math.max(m, h.order);
  }
  return m;
}

function sumSquares(re: Float64Array, im: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let h = from; h <= to && h < re.length; h++) s += re[h] * re[h] + im[h] * im[h];
  return s;
}

/**
 * The constants of one model on the phasor path: the six channels' spectra (orders 0..size-1)
 * and noise deviations. All the trigonometry of a model is here, done once per model.
 */
interface ModelSpectra {
  size: number;
  voltage: { re: Float64Array; im: Float64Array }[];
  current: { re: Float64Array; im: Float64Array }[];
  sigmaU: number[];
  sigmaI: number[];
}

function modelSpectra(model: SyntheticModel, size: number): ModelSpectra {
  return {
    size,
    voltage: model.phases.map((p) => spectrumOf(p.voltage, size)),
    current: model.phases.map((p) => spectrumOf(p.current, size)),
    sigmaU: model.phases.map((p) => noiseSigma(model, p.voltage)),
    sigmaI: model.phases.map((p) => noiseSigma(model, p.current)),
  };
}

/** Window state accumulated over pieces. */
interface Accumulator {
  size: number;
  voltage: Spectrum[];
  current: Spectrum[];
  activePower: number[];
  lineMeanSquare: number[];
  neutralMeanSquare: number;
}

function newAccumulator(size: number): Accumulator {
  const spectrum = (): Spectrum => ({ re: new Float64Array(size), im: new Float64Array(size), meanSquare: 0 });
  return {
    size,
    voltage: [spectrum(), spectrum(), spectrum()],
    current: [spectrum(), spectrum(), spectrum()],
    activePower: [0, 0, 0],
    lineMeanSquare: [0, 0, 0],
    neutralMeanSquare: 0,
  };
}

/** Add one piece (a model's spectra, `weight` = its share of the window) to the accumulator. */
function accumulate(acc: Accumulator, spectra: ModelSpectra, weight: number): void {
  const size = acc.size;
  if (spectra.size !== size) throw new Error(`spectra of ${spectra.size} orders in a window of ${size}`);
  const { voltage: u, current: i, sigmaU, sigmaI } = spectra;
  for (let p = 0; p < 3; p++) {
    const up = u[p];
    const ip = i[p];
    const accU = acc.voltage[p];
    const accI = acc.current[p];
    for (let h = 0; h < size; h++) {
      accU.re[h] += weight * up.re[h];
      accU.im[h] += weight * up.im[h];
      accI.re[h] += weight * ip.re[h];
      accI.im[h] += weight * ip.im[h];
    }
    accU.meanSquare += weight * (sumSquares(up.re, up.im, 0, size - 1) + sigmaU[p] ** 2);
    accI.meanSquare += weight * (sumSquares(ip.re, ip.im, 0, size - 1) + sigmaI[p] ** 2);
    // P = sum over orders of Re(U_h conj(I_h)); for DC (im = 0) this is U_0 I_0.
    let power = 0;
    for (let h = 0; h < size; h++) power += up.re[h] * ip.re[h] + up.im[h] * ip.im[h];
    acc.activePower[p] += weight * power;
    // Line-to-line j - k with (j, k) = (0, 1), (1, 2), (2, 0).
    const k = (p + 1) % 3;
    const uk = u[k];
    let line = sigmaU[p] ** 2 + sigmaU[k] ** 2;
    for (let h = 0; h < size; h++) line += (up.re[h] - uk.re[h]) ** 2 + (up.im[h] - uk.im[h]) ** 2;
    acc.lineMeanSquare[p] += weight * line;
  }
  let neutral = sigmaI[0] ** 2 + sigmaI[1] ** 2 + sigmaI[2] ** 2;
  for (let h = 0; h < size; h++) {
    const re = i[0].re[h] + i[1].re[h] + i[2].re[h];
    const im = i[0].im[h] + i[1].im[h] + i[2].im[h];
    neutral += re * re + im * im;
  }
  acc.neutralMeanSquare += weight * neutral;
}

function wrapAngle(a: number): number {
  let x = a % (2 * Math.PI);
  if (x <= -Math.PI) x += 2 * Math.PI;
  if (x > Math.PI) x -= 2 * Math.PI;
  return x;
}

function magnitudesAndPhases(s: Spectrum, referenceRad: number): { magnitude: Float64Array; phase: Float64Array } {
  const magnitude = new Float64Array(HARMONIC_ORDERS + 1);
  const phase = new Float64Array(HARMONIC_ORDERS + 1);
  magnitude[0] = Math.abs(s.re[0]);
  phase[0] = s.re[0] < 0 ? Math.PI : 0;
  for (let h = 1; h <= HARMONIC_ORDERS; h++) {
    magnitude[h] = Math.hypot(s.re[h], s.im[h]);
    phase[h] = magnitude[h] === 0 ? 0 : wrapAngle(Math.atan2(s.im[h], s.re[h]) - h * referenceRad);
  }
  return { magnitude, phase };
}

function thd(m: Float64Array): number {
  const fundamental = m[1];
  if (fundamental === 0) return 0;
  let s = 0;
  for (let h = 2; h <= HARMONIC_ORDERS; h++) s += m[h] * m[h];
  return Math.sqrt(s) / fundamental;
}

const A_RE = Math.cos((2 * Math.PI) / 3);
const A_IM = Math.sin((2 * Math.PI) / 3);

/** |X+| and |X-| of the fundamentals of three spectra. */
function sequenceMagnitudes(s: Spectrum[]): { positive: number; negative: number } {
  const [a, b, c] = s;
  // a * (x + jy) = (A_RE x - A_IM y) + j (A_IM x + A_RE y); a^2 = conj(a).
  const rot = (x: number, y: number, sign: number): [number, number] => [A_RE * x - sign * A_IM * y, sign * A_IM * x + A_RE * y];
  const [bPr, bPi] = rot(b.re[1], b.im[1], 1);
  const [cPr, cPi] = rot(c.re[1], c.im[1], -1);
  const [bNr, bNi] = rot(b.re[1], b.im[1], -1);
  const [cNr, cNi] = rot(c.re[1], c.im[1], 1);
  return {
    positive: Math.hypot(a.re[1] + bPr + cPr, a.im[1] + bPi + cPi) / 3,
    negative: Math.hypot(a.re[1] + bNr + cNr, a.im[1] + bNi + cNi) / 3,
  };
}

function unbalance(s: Spectrum[]): number {
  const { positive, negative } = sequenceMagnitudes(s);
  return positive === 0 ? 0 : negative / positive;
}

function phaseSequence(s: Spectrum[]): PhaseSequence {
  const { positive, negative } = sequenceMagnitudes(s);
  const scale = Math.max(positive, negative);
  if (scale === 0 || Math.abs(positive - negative) <= 1e-9 * scale) return 'unknown';
  return positive > negative ? 'abc' : 'acb';
}

/** Window duration T with cycles(t0 + T) - cycles(t0) = N, by Newton's method. */
export function windowDuration(timeline: ScenarioTimeline, t0: number, cycles: number): number {
  const c0 = timeline.cyclesAt(t0);
  let duration = cycles / timeline.frequencyAt(t0);
  for (let iteration = 0; iteration < 20; iteration++) {
    const error = timeline.cyclesAt(t0 + duration) - c0 - cycles;
    const step = error / timeline.frequencyAt(t0 + duration);
    duration -= step;
    if (Math.abs(step) < 1e-15 * duration) break;
  }
  return duration;
}

/** Cycles per metrology window for a nominal frequency: 12 at 60 Hz, 10 at 50 Hz. */
export function cyclesPerWindow(nominalHz: number): number {
  return nominalHz >= 55 ? 12 : 10;
}

/** The parts of a window's measurement that depend on the models only (not on its timing). */
type ElectricalParts = Omit<WindowMeasurement, 'startTimeS' | 'durationS' | 'cycles' | 'partial' | 'frequencyHz'>;

/** One piece of a window: [from, to) under one model. */
interface Piece {
  model: SyntheticModel;
  from: number;
  to: number;
}

/** The window's pieces: cut at the timeline's breakpoints, each with the model at its middle. */
function piecesOf(timeline: ScenarioTimeline, t0: number, end: number): Piece[] {
  const edges = [t0, ...timeline.breakpointsIn(t0, end), end];
  const pieces: Piece[] = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const from = edges[k];
    const to = edges[k + 1];
    pieces.push({ model: timeline.modelAt((from + to) / 2), from, to });
  }
  return pieces;
}

/**
 * Accumulate the pieces and derive the electrical parts. A piece's weight is its share of the
 * window's span as represented (end - t0), so a window of one piece has weight exactly 1 (dividing
 * by the duration instead would scale every value by the rounding of t0 + duration - t0).
 */
function electricalParts(
  pieces: readonly Piece[],
  size: number,
  spectraOf: (model: SyntheticModel, size: number) => ModelSpectra,
): ElectricalParts {
  const acc = newAccumulator(size);
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first === undefined || last === undefined) throw new Error('a window has at least one piece');
  const span = last.to - first.from;
  for (const piece of pieces) accumulate(acc, spectraOf(piece.model, size), (piece.to - piece.from) / span);
  return partsFromAccumulator(acc);
}

/** Orders 0..size-1 cover the base model and every piece's model. */
function windowSize(baseSize: number, pieces: readonly Piece[], ordersOf: (model: SyntheticModel) => number): number {
  let size = baseSize;
  for (const piece of pieces) size = Math.max(size, ordersOf(piece.model));
  return size;
}

/** Orders 0..maxOrder of a model: maxOrder + 1. */
function ordersOf(model: SyntheticModel): number {
  return maxOrderOf(model) + 1;
}

/**
 * A fresh measurement object for a window: top level, phases, line voltages and totals are new
 * objects; the harmonic Float64Arrays are the parts' own (shared by every measurement made from
 * the same parts, never written after they are built).
 */
/** The per-phase values, line voltages and totals of a measurement, fresh or shared. */
interface AssembledParts {
  phases: WindowMeasurement['phases'];
  lineVoltages: WindowMeasurement['lineVoltages'];
  total: WindowMeasurement['total'];
}

function freshParts(parts: ElectricalParts): AssembledParts {
  const [pa, pb, pc] = parts.phases;
  const [l1, l2, l3] = parts.lineVoltages;
  return { phases: [{ ...pa }, { ...pb }, { ...pc }], lineVoltages: [l1, l2, l3], total: { ...parts.total } };
}

/** Copies of the parts, frozen, to be shared by every window under one model (a write throws). */
function frozenParts(parts: ElectricalParts): AssembledParts {
  const shared = freshParts(parts);
  for (const phase of shared.phases) Object.freeze(phase);
  Object.freeze(shared.phases);
  Object.freeze(shared.lineVoltages);
  Object.freeze(shared.total);
  return shared;
}

function assemble(parts: ElectricalParts, startTimeS: number, duration: number, cycles: number, shared?: AssembledParts): WindowMeasurement {
  const { phases, lineVoltages, total } = shared ?? freshParts(parts);
  return {
    startTimeS,
    durationS: duration,
    cycles,
    partial: false,
    frequencyHz: cycles / duration,
    phases,
    lineVoltages,
    neutralCurrent: parts.neutralCurrent,
    voltageUnbalance: parts.voltageUnbalance,
    currentUnbalance: parts.currentUnbalance,
    phaseSequence: parts.phaseSequence,
    total,
  };
}

/**
 * The exact measurement of the window that starts `t0` seconds after the timeline's origin,
 * computed from scratch (no cache; the reference for PhasorWindowMeasurer).
 * `startTimeS` is what the result reports as the window's start (the caller's clock).
 */
export function measureTimelineWindow(timeline: ScenarioTimeline, t0: number, startTimeS: number): WindowMeasurement {
  const cycles = cyclesPerWindow(timeline.base.frequency.nominalHz);
  const duration = windowDuration(timeline, t0, cycles);
  const pieces = piecesOf(timeline, t0, t0 + duration);
  const size = windowSize(ordersOf(timeline.base), pieces, ordersOf);
  return assemble(electricalParts(pieces, size, modelSpectra), startTimeS, duration, cycles);
}

/** What PhasorWindowMeasurer keeps per model. */
interface ModelEntry {
  /** ordersOf(model). */
  orders: number;
  spectra: ModelSpectra;
  /** The electrical parts of a window lying wholly under this model (built on first use). */
  steady: ElectricalParts | undefined;
  /** Frozen phases, line voltages and totals of such a window, shared by all of them. */
  steadyShared: AssembledParts | undefined;
}

/**
 * measureTimelineWindow with per-model caching; its results are identical (bit for bit) to
 * measureTimelineWindow's on the same timeline.
 *
 * Why this is exact: a window's electrical values depend only on the models in force during it
 * and on their shares of the window. A window wholly under one model (the usual case) has one
 * piece of weight exactly 1, so its electrical parts are a function of that model alone: they are
 * computed once per model and reused; only the timing (Newton's window duration, and frequency =
 * cycles / duration, which frequency drift moves every window) is computed per call. A window cut
 * by a scheduled change (sag start or end) is accumulated per call from the cached spectra.
 *
 * Invalidation: models are immutable and the timeline builds a new model object whenever the set
 * of changes in force changes (apply, end, a scheduled start or end), so the cache is keyed by the
 * model object (a WeakMap: models the timeline no longer holds are collected) and never holds a
 * stale entry.
 *
 * Ownership: every call returns a fresh measurement object, but a window wholly under one model
 * shares its phases, line voltages and totals (frozen: a write throws) with every other window
 * under that model, and all windows share the harmonic magnitude and phase Float64Arrays of their
 * model. Nothing shared is written after it is built; consumers must treat measurements as
 * read-only (the meter does: it keeps the last measurement and scales it into new objects). A
 * fleet of thousands of meters ticking every 200 ms makes far less garbage this way.
 */
export class PhasorWindowMeasurer {
  private readonly cycles: number;
  private readonly baseSize: number;
  private readonly entries = new WeakMap<SyntheticModel, ModelEntry>();

  constructor(readonly timeline: ScenarioTimeline) {
    this.cycles = cyclesPerWindow(timeline.base.frequency.nominalHz);
    this.baseSize = ordersOf(timeline.base);
  }

  /** The measurement of the window starting `t0` s after the origin, reported at `startTimeS`. */
  measure(t0: number, startTimeS: number): WindowMeasurement {
    const duration = windowDuration(this.timeline, t0, this.cycles);
    const pieces = piecesOf(this.timeline, t0, t0 + duration);
    const size = windowSize(this.baseSize, pieces, (model) => this.entry(model, undefined).orders);
    const only = pieces.length === 1 ? pieces[0] : undefined;
    if (only !== undefined) {
      const entry = this.entry(only.model, size);
      const steady = (entry.steady ??= electricalParts(pieces, size, () => entry.spectra));
      entry.steadyShared ??= frozenParts(steady);
      return assemble(steady, startTimeS, duration, this.cycles, entry.steadyShared);
    }
    const parts = electricalParts(pieces, size, (model, windowOrders) => this.entry(model, windowOrders).spectra);
    return assemble(parts, startTimeS, duration, this.cycles);
  }

  /**
   * The cached constants of `model`, with spectra of `size` orders (default: the model's own
   * window size). A window whose other piece needs more orders gets wider spectra, not cached.
   */
  private entry(model: SyntheticModel, size: number | undefined): ModelEntry {
    let own = this.entries.get(model);
    if (own === undefined) {
      const orders = ordersOf(model);
      own = { orders, spectra: modelSpectra(model, Math.max(this.baseSize, orders)), steady: undefined, steadyShared: undefined };
      this.entries.set(model, own);
    }
    if (size === undefined || own.spectra.size === size) return own;
    return { orders: own.orders, spectra: modelSpectra(model, size), steady: undefined, steadyShared: undefined };
  }
}

function partsFromAccumulator(acc: Accumulator): ElectricalParts {
  const reference = acc.voltage[0];
  const referenceRad = Math.hypot(reference.re[1], reference.im[1]) === 0 ? 0 : Math.atan2(reference.im[1], reference.re[1]);
  let p1Total = 0;
  let q1Total = 0;
  const phases = [0, 1, 2].map((p): PhaseMeasurement => {
    const u = acc.voltage[p];
    const i = acc.current[p];
    const voltageRms = Math.sqrt(u.meanSquare);
    const currentRms = Math.sqrt(i.meanSquare);
    const activePower = acc.activePower[p];
    // U_1 conj(I_1) = P1 + j Q1.
    const p1 = u.re[1] * i.re[1] + u.im[1] * i.im[1];
    const q1 = u.im[1] * i.re[1] - u.re[1] * i.im[1];
    let budeanu = 0;
    for (let h = 1; h < acc.size; h++) budeanu += u.im[h] * i.re[h] - u.re[h] * i.im[h];
    p1Total += p1;
    q1Total += q1;
    const apparentPower = voltageRms * currentRms;
    const s1 = Math.hypot(p1, q1);
    const vh = magnitudesAndPhases(u, referenceRad);
    const ih = magnitudesAndPhases(i, referenceRad);
    return {
      voltageRms,
      currentRms,
      activePower,
      reactivePower: q1,
      apparentPower,
      powerFactor: apparentPower === 0 ? 1 : activePower / apparentPower,
      displacementPowerFactor: s1 === 0 ? 1 : p1 / s1,
      budeanuReactivePower: budeanu,
      nonActivePower: Math.sqrt(Math.max(0, apparentPower * apparentPower - activePower * activePower)),
      voltageThd: thd(vh.magnitude),
      currentThd: thd(ih.magnitude),
      voltageHarmonics: vh.magnitude,
      voltageHarmonicPhases: vh.phase,
      currentHarmonics: ih.magnitude,
      currentHarmonicPhases: ih.phase,
    };
  });
  const [pa, pb, pc] = phases;
  const activePower = pa.activePower + pb.activePower + pc.activePower;
  const reactivePower = pa.reactivePower + pb.reactivePower + pc.reactivePower;
  const apparentPower = pa.apparentPower + pb.apparentPower + pc.apparentPower;
  const s1Total = Math.hypot(p1Total, q1Total);
  return {
    phases: [pa, pb, pc],
    lineVoltages: [
      Math.sqrt(acc.lineMeanSquare[0]),
      Math.sqrt(acc.lineMeanSquare[1]),
      Math.sqrt(acc.lineMeanSquare[2]),
    ],
    neutralCurrent: Math.sqrt(acc.neutralMeanSquare),
    voltageUnbalance: unbalance(acc.voltage),
    currentUnbalance: unbalance(acc.current),
    phaseSequence: phaseSequence(acc.voltage),
    total: {
      activePower,
      reactivePower,
      apparentPower,
      vectorApparentPower: Math.hypot(activePower, reactivePower),
      powerFactor: apparentPower === 0 ? 1 : activePower / apparentPower,
      displacementPowerFactor: s1Total === 0 ? 1 : p1Total / s1Total,
    },
  };
}
