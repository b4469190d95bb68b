/**
 * Measures one window of whole cycles: a pure function from a SampleBlock and the window's
 * fractional sample bounds to a WindowMeasurement (DESIGN.md, "Measurement definitions").
 *
 * - RMS, P, line-line voltages and neutral current integrate over the exact window [a, b]
 *   with a fourth-order fractional-edge rule (fractional-window-quadrature.ts), straight from
 *   the recorded samples.
 * - Harmonics (and with them Q1, displacement PF, Budeanu Q, THD, unbalance) come from the
 *   window resampled band-limited onto M = 2^k points, so harmonic h is DFT bin h * cycles.
 */
import type { SampleBlock } from '../waveform/sample-block.js';
import { HARMONIC_ORDERS } from './measurement.js';
import type { PhaseMeasurement, ThreePhaseTotals, WindowMeasurement } from './measurement.js';
import { fractionalWindowRule } from './fractional-window-quadrature.js';
import type { QuadratureRule } from './fractional-window-quadrature.js';
import { kernelTapsFor, resampleChannels } from './band-limited-resampler.js';
import { harmonicPhasorPair, harmonicPhasors } from './harmonic-spectrum.js';
import type { HarmonicMethod, HarmonicPhasors } from './harmonic-spectrum.js';
import { sequenceComponents, windowPhaseSequence } from './symmetrical-components.js';
import type { Phasor } from './symmetrical-components.js';
import { wrapAngle } from './wrap-angle.js';

export interface WindowBounds {
  /** Fractional sample index where the window starts (a fundamental zero crossing). */
  readonly start: number;
  /** Fractional sample index where the window ends, `cycles` cycles later. */
  readonly end: number;
  /** Whole cycles between start and end. */
  readonly cycles: number;
  /** The record held fewer cycles than a full window. */
  readonly partial: boolean;
}

export interface WindowMeasurementOptions {
  /** Harmonic analysis: fft.js on the resampled window (default) or a direct DFT of the same bins. */
  readonly harmonicMethod?: HarmonicMethod;
}

/** Resampled points per window: the smallest power of two giving harmonic 31 a bin below M/2 (>= 64 per cycle). */
export function resampledPointsFor(cycles: number): number {
  let size = 16;
  while (size < 64 * cycles) size *= 2;
  return size;
}

const scratch = new Map<number, Float64Array[]>();

function resampleBuffers(size: number): Float64Array[] {
  let buffers = scratch.get(size);
  if (buffers === undefined) {
    buffers = Array.from({ length: 6 }, () => new Float64Array(size));
    scratch.set(size, buffers);
  }
  return buffers;
}

function signedRatio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 1;
}

function thd(magnitudes: Float64Array): number {
  const fundamental = magnitudes[1];
  if (!(fundamental > 0)) return 0;
  let sum = 0;
  for (let h = 2; h < magnitudes.length; h++) sum += magnitudes[h] * magnitudes[h];
  return Math.sqrt(sum) / fundamental;
}

/**
 * Integrals (in sample units) over the window of u^2, i^2, u*i per phase, the three line-line
 * differences squared and the neutral squared, in that order (13 values).
 */
function timeDomainSums(block: SampleBlock, rule: QuadratureRule, out: Float64Array): void {
  const { unitFrom, unitTo, edgeIndices, edgeWeights } = rule;
  const [ua, ub, uc] = block.voltage;
  const [ia, ib, ic] = block.current;
  const measuredNeutral = block.neutralCurrent;
  let uaa = 0, ubb = 0, ucc = 0, iaa = 0, ibb = 0, icc = 0, pa = 0, pb = 0, pc = 0;
  let uab = 0, ubc = 0, uca = 0, inn = 0;
  // Interior: weight 1 (no multiplication). Separate loops for a computed or a measured neutral.
  if (measuredNeutral === undefined) {
    for (let n = unitFrom; n <= unitTo; n++) {
      const va = ua[n], vb = ub[n], vc = uc[n];
      const xa = ia[n], xb = ib[n], xc = ic[n];
      uaa += va * va; ubb += vb * vb; ucc += vc * vc;
      iaa += xa * xa; ibb += xb * xb; icc += xc * xc;
      pa += va * xa; pb += vb * xb; pc += vc * xc;
      const dab = va - vb, dbc = vb - vc, dca = vc - va;
      uab += dab * dab; ubc += dbc * dbc; uca += dca * dca;
      const neutral = xa + xb + xc;
      inn += neutral * neutral;
    }
  } else {
    for (let n = unitFrom; n <= unitTo; n++) {
      const va = ua[n], vb = ub[n], vc = uc[n];
      const xa = ia[n], xb = ib[n], xc = ic[n];
      uaa += va * va; ubb += vb * vb; ucc += vc * vc;
      iaa += xa * xa; ibb += xb * xb; icc += xc * xc;
      pa += va * xa; pb += vb * xb; pc += vc * xc;
      const dab = va - vb, dbc = vb - vc, dca = vc - va;
      uab += dab * dab; ubc += dbc * dbc; uca += dca * dca;
      const neutral = measuredNeutral[n];
      inn += neutral * neutral;
    }
  }
  // Edges: the fractional-edge weights.
  for (let k = 0; k < edgeIndices.length; k++) {
    const n = edgeIndices[k];
    const w = edgeWeights[k];
    const va = ua[n], vb = ub[n], vc = uc[n];
    const xa = ia[n], xb = ib[n], xc = ic[n];
    uaa += w * va * va; ubb += w * vb * vb; ucc += w * vc * vc;
    iaa += w * xa * xa; ibb += w * xb * xb; icc += w * xc * xc;
    pa += w * va * xa; pb += w * vb * xb; pc += w * vc * xc;
    const dab = va - vb, dbc = vb - vc, dca = vc - va;
    uab += w * dab * dab; ubc += w * dbc * dbc; uca += w * dca * dca;
    const neutral = measuredNeutral === undefined ? xa + xb + xc : measuredNeutral[n];
    inn += w * neutral * neutral;
  }
  out[0] = uaa; out[1] = ubb; out[2] = ucc; out[3] = iaa; out[4] = ibb; out[5] = icc;
  out[6] = pa; out[7] = pb; out[8] = pc; out[9] = uab; out[10] = ubc; out[11] = uca; out[12] = inn;
}

/** Scratch of measureWindow, overwritten by every call (nothing in a result points into it). */
const sumsScratch = new Float64Array(13);
const phaseScratch = Array.from({ length: 6 }, () => new Float64Array(HARMONIC_ORDERS + 1));

function rootMean(sumSquares: number, inv: number): number {
  return Math.sqrt(Math.max(0, sumSquares * inv));
}

export function measureWindow(
  block: SampleBlock,
  bounds: WindowBounds,
  options: WindowMeasurementOptions = {},
): WindowMeasurement {
  const { start, end, cycles } = bounds;
  const fs = block.sampleRateHz;
  const [ua, ub, uc] = block.voltage;
  const [ia, ib, ic] = block.current;

  // --- Time-domain integrals over the exact window ---
  const rule = fractionalWindowRule(start, end, block.length);
  const lengthSamples = rule.lengthSamples;
  const sums = sumsScratch;
  timeDomainSums(block, rule, sums);
  const inv = 1 / lengthSamples;
  const voltageRms = [rootMean(sums[0], inv), rootMean(sums[1], inv), rootMean(sums[2], inv)];
  const currentRms = [rootMean(sums[3], inv), rootMean(sums[4], inv), rootMean(sums[5], inv)];
  const activePower = [sums[6] * inv, sums[7] * inv, sums[8] * inv];

  // --- Harmonics on the window resampled to 2^k points ---
  const size = resampledPointsFor(cycles);
  const buffers = resampleBuffers(size);
  const frequencyHz = (cycles * fs) / lengthSamples;
  const taps = kernelTapsFor(Math.min(HARMONIC_ORDERS * frequencyHz, fs / 2), fs);
  resampleChannels([ua, ub, uc, ia, ib, ic], buffers, start, (end - start) / size, taps);
  const method = options.harmonicMethod ?? 'fft';
  // Magnitudes go into the result; raw phases (before the reference shift) are scratch.
  const spectra: HarmonicPhasors[] = [];
  for (let c = 0; c < 6; c++) spectra.push({ magnitudes: new Float64Array(HARMONIC_ORDERS + 1), phases: phaseScratch[c] });
  if (method === 'fft') {
    // One complex FFT per phase: voltage as the real part, current as the imaginary part.
    for (let p = 0; p < 3; p++) harmonicPhasorPair(buffers[p], buffers[p + 3], cycles, HARMONIC_ORDERS, spectra[p], spectra[p + 3]);
  } else {
    for (let c = 0; c < 6; c++) harmonicPhasors(buffers[c], cycles, HARMONIC_ORDERS, method, spectra[c]);
  }
  // Orders at or above the record's Nyquist frequency cannot be represented: report zero.
  const highestOrder = Math.min(HARMONIC_ORDERS, Math.ceil(fs / 2 / frequencyHz) - 1);
  for (let c = 0; c < 6; c++) {
    const spectrum = spectra[c];
    for (let h = highestOrder + 1; h <= HARMONIC_ORDERS; h++) {
      spectrum.magnitudes[h] = 0;
      spectrum.phases[h] = 0;
    }
  }
  // Phases relative to the phase-A voltage fundamental (harmonic h shifted by h times its phase).
  const referencePhase = spectra[0].magnitudes[1] > 0 ? spectra[0].phases[1] : 0;
  const voltageFundamental: Phasor[] = [];
  const currentFundamental: Phasor[] = [];
  for (let p = 0; p < 3; p++) {
    voltageFundamental.push({ magnitude: spectra[p].magnitudes[1], phase: spectra[p].phases[1] });
    currentFundamental.push({ magnitude: spectra[p + 3].magnitudes[1], phase: spectra[p + 3].phases[1] });
  }

  const phaseList: PhaseMeasurement[] = [];
  for (let p = 0; p < 3; p++) {
    const u = spectra[p];
    const i = spectra[p + 3];
    let budeanu = 0;
    for (let h = 1; h <= HARMONIC_ORDERS; h++) {
      budeanu += u.magnitudes[h] * i.magnitudes[h] * Math.sin(u.phases[h] - i.phases[h]);
    }
    const phi1 = u.phases[1] - i.phases[1];
    const u1i1 = u.magnitudes[1] * i.magnitudes[1];
    const apparentPower = voltageRms[p] * currentRms[p];
    const voltageHarmonicPhases = new Float64Array(HARMONIC_ORDERS + 1);
    const currentHarmonicPhases = new Float64Array(HARMONIC_ORDERS + 1);
    for (let h = 0; h <= HARMONIC_ORDERS; h++) {
      const shift = h * referencePhase;
      voltageHarmonicPhases[h] = u.magnitudes[h] > 0 ? wrapAngle(u.phases[h] - (h === 0 ? 0 : shift)) : 0;
      currentHarmonicPhases[h] = i.magnitudes[h] > 0 ? wrapAngle(i.phases[h] - (h === 0 ? 0 : shift)) : 0;
    }
    phaseList.push({
      voltageRms: voltageRms[p],
      currentRms: currentRms[p],
      activePower: activePower[p],
      reactivePower: u1i1 * Math.sin(phi1),
      apparentPower,
      powerFactor: signedRatio(activePower[p], apparentPower),
      displacementPowerFactor: u1i1 > 0 ? Math.cos(phi1) : 1,
      budeanuReactivePower: budeanu,
      nonActivePower: Math.sqrt(Math.max(0, apparentPower * apparentPower - activePower[p] * activePower[p])),
      voltageThd: thd(u.magnitudes),
      currentThd: thd(i.magnitudes),
      voltageHarmonics: u.magnitudes,
      voltageHarmonicPhases,
      currentHarmonics: i.magnitudes,
      currentHarmonicPhases,
    });
  }
  const phases: [PhaseMeasurement, PhaseMeasurement, PhaseMeasurement] = [phaseList[0], phaseList[1], phaseList[2]];

  const voltageSequence = sequenceComponents(voltageFundamental[0], voltageFundamental[1], voltageFundamental[2]);
  const currentSequence = sequenceComponents(currentFundamental[0], currentFundamental[1], currentFundamental[2]);

  let p1 = 0;
  let q1 = 0;
  for (let p = 0; p < 3; p++) {
    const phi = voltageFundamental[p].phase - currentFundamental[p].phase;
    const m = voltageFundamental[p].magnitude * currentFundamental[p].magnitude;
    p1 += m * Math.cos(phi);
    q1 += m * Math.sin(phi);
  }
  const totalP = phases[0].activePower + phases[1].activePower + phases[2].activePower;
  const totalQ = phases[0].reactivePower + phases[1].reactivePower + phases[2].reactivePower;
  const totalS = phases[0].apparentPower + phases[1].apparentPower + phases[2].apparentPower;
  const fundamentalS = Math.hypot(p1, q1);
  const total: ThreePhaseTotals = {
    activePower: totalP,
    reactivePower: totalQ,
    apparentPower: totalS,
    vectorApparentPower: Math.hypot(totalP, totalQ),
    powerFactor: signedRatio(totalP, totalS),
    displacementPowerFactor: fundamentalS > 0 ? p1 / fundamentalS : 1,
  };

  return {
    startTimeS: block.startTimeS + start / fs,
    durationS: lengthSamples / fs,
    cycles,
    partial: bounds.partial,
    frequencyHz,
    phases,
    lineVoltages: [rootMean(sums[9], inv), rootMean(sums[10], inv), rootMean(sums[11], inv)],
    neutralCurrent: rootMean(sums[12], inv),
    voltageUnbalance: voltageSequence.unbalance,
    currentUnbalance: currentSequence.unbalance,
    phaseSequence: windowPhaseSequence(voltageSequence, currentSequence),
    total,
  };
}
