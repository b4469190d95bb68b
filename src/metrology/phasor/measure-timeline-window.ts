/**
 * The phasor path: the exact WindowMeasurement of a synthetic scenario, computed analytically from
 * its phasors, without samples. The waveform layer owns the scenario (model.ts, its timeline);
 * this folder measures it, with the same window rule (cyclesPerWindowFor), symmetrical components
 * and angle wrap as the sample path, so the two paths cannot disagree on them.
 *
 * Notation, per phase p and order h (h = 0 is DC): voltage phasor U_h = X_h e^{j alpha_h}, current
 * phasor I_h = X_h e^{j beta_h} (RMS magnitudes, absolute phases as in model.ts), noise standard
 * deviations sigma_u, sigma_i (white, independent, zero mean).
 *
 * Window: starts at t0 and holds N = cyclesPerWindowFor(nominal frequency) whole cycles (10 at
 * 50 Hz, 12 at 60 Hz); its duration comes from window-duration.ts, its pieces (spans between
 * scheduled changes) from window-pieces.ts, the sums over them from window-accumulator.ts and the
 * values from electrical-parts.ts, where every formula is written out.
 */
import type { ScenarioTimeline } from '../../waveform/synthetic/scenario-timeline.js';
import type { WindowMeasurement } from '../measurement.js';
import { cyclesPerWindowFor } from '../window-plan.js';
import { assembleMeasurement } from './assemble-measurement.js';
import { modelSpectra, ordersOf } from './model-spectra.js';
import { windowDuration } from './window-duration.js';
import { piecesElectricalParts, piecesOf, windowSize } from './window-pieces.js';

/**
 * The exact measurement of the window that starts `t0` seconds after the timeline's origin,
 * computed from scratch (no cache; the reference for PhasorWindowMeasurer).
 * `startTimeS` is what the result reports as the window's start (the caller's clock).
 */
export function measureTimelineWindow(timeline: ScenarioTimeline, t0: number, startTimeS: number): WindowMeasurement {
  const cycles = cyclesPerWindowFor(timeline.base.frequency.nominalHz);
  const duration = windowDuration(timeline, t0, cycles);
  const pieces = piecesOf(timeline, t0, t0 + duration);
  const size = windowSize(ordersOf(timeline.base), pieces, ordersOf);
  return assembleMeasurement(piecesElectricalParts(pieces, size, modelSpectra), startTimeS, duration, cycles);
}
