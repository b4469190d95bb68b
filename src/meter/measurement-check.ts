/**
 * A window the meter can integrate: every quantity it counts is a finite number and nothing that
 * must be non-negative is negative. A source that yields anything else is refused with an error
 * naming the source, the time and the field, before any register changes.
 */
import type { WindowMeasurement } from '../metrology/measurement.js';

export function checkMeasurement(m: WindowMeasurement, source: string, timeS: number): void {
  const bad = (field: string, value: number): never => {
    throw new RangeError(`measurement from ${source} at t=${timeS} s: ${field} is ${value}, not a usable number`);
  };
  const finite = (field: string, value: number): void => {
    if (!Number.isFinite(value)) bad(field, value);
  };
  const nonNegative = (field: string, value: number): void => {
    if (!(Number.isFinite(value) && value >= 0)) bad(field, value);
  };
  for (let p = 0; p < 3; p += 1) {
    const phase = m.phases[p];
    nonNegative(`phases[${p}].voltageRms`, phase.voltageRms);
    nonNegative(`phases[${p}].currentRms`, phase.currentRms);
    finite(`phases[${p}].activePower`, phase.activePower);
    finite(`phases[${p}].reactivePower`, phase.reactivePower);
    nonNegative(`phases[${p}].apparentPower`, phase.apparentPower);
  }
  nonNegative('frequencyHz', m.frequencyHz);
  finite('total.activePower', m.total.activePower);
  finite('total.reactivePower', m.total.reactivePower);
  nonNegative('total.apparentPower', m.total.apparentPower);
  nonNegative('currentUnbalance', m.currentUnbalance);
}
