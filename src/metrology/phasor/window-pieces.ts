/**
 * A window cut by scheduled changes (a sag's start or end) into pieces, each under one model, and
 * the electrical parts of the whole window summed over them. With no change in the window (the
 * usual case) there is one piece of weight exactly 1 and every value is exact.
 */
import type { SyntheticModel } from '../../waveform/synthetic/model.js';
import type { ScenarioTimeline } from '../../waveform/synthetic/scenario-timeline.js';
import { partsFromAccumulator, type ElectricalParts } from './electrical-parts.js';
import type { ModelSpectra } from './model-spectra.js';
import { accumulatePiece, newWindowAccumulator } from './window-accumulator.js';

/** One piece of a window: [from, to) under one model. */
export interface WindowPiece {
  readonly model: SyntheticModel;
  readonly from: number;
  readonly to: number;
}

/** The window's pieces: cut at the timeline's breakpoints, each with the model at its middle. */
export function piecesOf(timeline: ScenarioTimeline, t0: number, end: number): WindowPiece[] {
  const edges = [t0, ...timeline.breakpointsIn(t0, end), end];
  const pieces: WindowPiece[] = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const from = edges[k];
    const to = edges[k + 1];
    pieces.push({ model: timeline.modelAt((from + to) / 2), from, to });
  }
  return pieces;
}

/** Orders 0..size-1 cover the base model and every piece's model. */
export function windowSize(baseSize: number, pieces: readonly WindowPiece[], ordersOf: (model: SyntheticModel) => number): number {
  let size = baseSize;
  for (const piece of pieces) size = Math.max(size, ordersOf(piece.model));
  return size;
}

/**
 * Accumulate the pieces and derive the electrical parts. A piece's weight is its share of the
 * window's span as represented (end - t0), so a window of one piece has weight exactly 1 (dividing
 * by the duration instead would scale every value by the rounding of t0 + duration - t0).
 */
export function piecesElectricalParts(
  pieces: readonly WindowPiece[],
  size: number,
  spectraOf: (model: SyntheticModel, size: number) => ModelSpectra,
): ElectricalParts {
  const acc = newWindowAccumulator(size);
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first === undefined || last === undefined) throw new Error('a window has at least one piece');
  const span = last.to - first.from;
  for (const piece of pieces) accumulatePiece(acc, spectraOf(piece.model, size), (piece.to - piece.from) / span);
  return partsFromAccumulator(acc);
}
