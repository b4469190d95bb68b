/**
 * A WindowMeasurement from a window's electrical parts and its timing. Every call returns a fresh
 * top-level object; the phases, line voltages and totals are either fresh copies or, for windows
 * wholly under one model, frozen copies shared by all of them (a write throws). The harmonic
 * Float64Arrays are always the parts' own, never written after they are built.
 */
import type { WindowMeasurement } from '../measurement.js';
import type { ElectricalParts } from './electrical-parts.js';

/** The per-phase values, line voltages and totals of a measurement, fresh or shared. */
export interface AssembledParts {
  readonly phases: WindowMeasurement['phases'];
  readonly lineVoltages: WindowMeasurement['lineVoltages'];
  readonly total: WindowMeasurement['total'];
}

function freshParts(parts: ElectricalParts): AssembledParts {
  const [pa, pb, pc] = parts.phases;
  const [l1, l2, l3] = parts.lineVoltages;
  return { phases: [{ ...pa }, { ...pb }, { ...pc }], lineVoltages: [l1, l2, l3], total: { ...parts.total } };
}

/** Copies of the parts, frozen, to be shared by every window under one model (a write throws). */
export function frozenParts(parts: ElectricalParts): AssembledParts {
  const shared = freshParts(parts);
  for (const phase of shared.phases) Object.freeze(phase);
  Object.freeze(shared.phases);
  Object.freeze(shared.lineVoltages);
  Object.freeze(shared.total);
  return shared;
}

export function assembleMeasurement(
  parts: ElectricalParts,
  startTimeS: number,
  duration: number,
  cycles: number,
  shared?: AssembledParts,
): WindowMeasurement {
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
