/**
 * A window with nothing on the terminals: what the meter holds before its first tick and what it
 * integrates (nothing) across a power failure. Its parts are built once and shared (frozen; the
 * harmonic arrays are never written): a fleet of 100,000 meters does not hold 100,000 copies.
 */
import { HARMONIC_ORDERS, type PhaseMeasurement, type WindowMeasurement } from '../metrology/measurement.js';

function zeroPhase(): PhaseMeasurement {
  return Object.freeze({
    voltageRms: 0,
    currentRms: 0,
    activePower: 0,
    reactivePower: 0,
    apparentPower: 0,
    powerFactor: 1,
    displacementPowerFactor: 1,
    budeanuReactivePower: 0,
    nonActivePower: 0,
    voltageThd: 0,
    currentThd: 0,
    voltageHarmonics: new Float64Array(HARMONIC_ORDERS + 1),
    voltageHarmonicPhases: new Float64Array(HARMONIC_ORDERS + 1),
    currentHarmonics: new Float64Array(HARMONIC_ORDERS + 1),
    currentHarmonicPhases: new Float64Array(HARMONIC_ORDERS + 1),
  });
}

const ZERO_PHASES = Object.freeze([zeroPhase(), zeroPhase(), zeroPhase()] as const);
const ZERO_LINE_VOLTAGES = Object.freeze([0, 0, 0] as const);
const ZERO_TOTAL = Object.freeze({
  activePower: 0,
  reactivePower: 0,
  apparentPower: 0,
  vectorApparentPower: 0,
  powerFactor: 1,
  displacementPowerFactor: 1,
});

export function zeroMeasurement(startTimeS: number): WindowMeasurement {
  return {
    startTimeS,
    durationS: 0,
    cycles: 0,
    partial: true,
    frequencyHz: 0,
    phases: ZERO_PHASES as WindowMeasurement['phases'],
    lineVoltages: ZERO_LINE_VOLTAGES as WindowMeasurement['lineVoltages'],
    neutralCurrent: 0,
    voltageUnbalance: 0,
    currentUnbalance: 0,
    phaseSequence: 'unknown',
    total: ZERO_TOTAL,
  };
}
