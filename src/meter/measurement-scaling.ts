/**
 * What the meter sees of a window: terminal (secondary) values scaled to the primary side by the
 * CT and PT ratios, and zero current when the load relay is open (voltage stays, the relay sits on
 * the load side). The source's object is returned unchanged when there is nothing to do.
 */
import type { PhaseMeasurement, ThreePhaseTotals, WindowMeasurement } from '../metrology/measurement.js';

export function scaleMeasurement(
  measurement: WindowMeasurement,
  ctRatio: number,
  ptRatio: number,
  relayClosed: boolean,
): WindowMeasurement {
  if (ctRatio === 1 && ptRatio === 1 && relayClosed) return measurement;
  const ct = relayClosed ? ctRatio : 0;
  const power = ct * ptRatio;
  const phases = measurement.phases.map((phase) => scalePhase(phase, ct, ptRatio, power)) as [
    PhaseMeasurement,
    PhaseMeasurement,
    PhaseMeasurement,
  ];
  const t = measurement.total;
  const total: ThreePhaseTotals = relayClosed
    ? {
        activePower: t.activePower * power,
        reactivePower: t.reactivePower * power,
        apparentPower: t.apparentPower * power,
        vectorApparentPower: t.vectorApparentPower * power,
        powerFactor: t.powerFactor,
        displacementPowerFactor: t.displacementPowerFactor,
      }
    : { activePower: 0, reactivePower: 0, apparentPower: 0, vectorApparentPower: 0, powerFactor: 1, displacementPowerFactor: 1 };
  return {
    ...measurement,
    phases,
    lineVoltages: measurement.lineVoltages.map((u) => u * ptRatio) as [number, number, number],
    neutralCurrent: measurement.neutralCurrent * ct,
    currentUnbalance: relayClosed ? measurement.currentUnbalance : 0,
    total,
  };
}

function scalePhase(phase: PhaseMeasurement, ct: number, pt: number, power: number): PhaseMeasurement {
  const open = ct === 0;
  return {
    ...phase,
    voltageRms: phase.voltageRms * pt,
    currentRms: phase.currentRms * ct,
    activePower: phase.activePower * power,
    reactivePower: phase.reactivePower * power,
    apparentPower: phase.apparentPower * power,
    powerFactor: open ? 1 : phase.powerFactor,
    displacementPowerFactor: open ? 1 : phase.displacementPowerFactor,
    budeanuReactivePower: phase.budeanuReactivePower * power,
    nonActivePower: phase.nonActivePower * power,
    currentThd: open ? 0 : phase.currentThd,
    voltageHarmonics: scaled(phase.voltageHarmonics, pt),
    currentHarmonics: scaled(phase.currentHarmonics, ct),
  };
}

function scaled(values: Float64Array, factor: number): Float64Array {
  if (factor === 1) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i += 1) out[i] = values[i] * factor;
  return out;
}
