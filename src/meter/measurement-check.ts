/**
 * A window the meter can integrate: every quantity it counts is a finite number and nothing that
 * must be non-negative is negative. A source that yields anything else is refused with an error
 * naming the source, the time and the field, before any register changes.
 */
import type { WindowMeasurement } from '../metrology/measurement.js';

/** Called once per tick per meter: plain comparisons, and a field name only when one fails. */
export function checkMeasurement(m: WindowMeasurement, source: string, timeS: number): void {
  for (let p = 0; p < 3; p += 1) {
    const phase = m.phases[p];
    if (!nonNegative(phase.voltageRms)) bad(source, timeS, `phases[${p}].voltageRms`, phase.voltageRms);
    if (!nonNegative(phase.currentRms)) bad(source, timeS, `phases[${p}].currentRms`, phase.currentRms);
    if (!Number.isFinite(phase.activePower)) bad(source, timeS, `phases[${p}].activePower`, phase.activePower);
    if (!Number.isFinite(phase.reactivePower)) bad(source, timeS, `phases[${p}].reactivePower`, phase.reactivePower);
    if (!nonNegative(phase.apparentPower)) bad(source, timeS, `phases[${p}].apparentPower`, phase.apparentPower);
  }
  if (!nonNegative(m.frequencyHz)) bad(source, timeS, 'frequencyHz', m.frequencyHz);
  if (!Number.isFinite(m.total.activePower)) bad(source, timeS, 'total.activePower', m.total.activePower);
  if (!Number.isFinite(m.total.reactivePower)) bad(source, timeS, 'total.reactivePower', m.total.reactivePower);
  if (!nonNegative(m.total.apparentPower)) bad(source, timeS, 'total.apparentPower', m.total.apparentPower);
  if (!nonNegative(m.currentUnbalance)) bad(source, timeS, 'currentUnbalance', m.currentUnbalance);
}

function nonNegative(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function bad(source: string, timeS: number, field: string, value: number): never {
  throw new RangeError(`measurement from ${source} at t=${timeS} s: ${field} is ${value}, not a usable number`);
}
