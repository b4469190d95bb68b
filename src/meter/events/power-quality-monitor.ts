/**
 * Watches each (scaled) measurement for the events a meter derives from what it measures:
 * sag, swell, interruption, phase loss, over-current, reverse power, phase sequence, current
 * unbalance. Thresholds follow IEC 61000-4-30 practice: fractions of the nominal voltage with a
 * hysteresis of 2 % of nominal. Nominal values are terminal ratings times the CT/PT ratios.
 */
import type { WindowMeasurement } from '../../metrology/measurement.js';
import type { MeterConfiguration } from '../meter-configuration.js';
import { ConditionTable, type ConditionSpec } from './condition-table.js';
import { EventKind, type EventKindName } from './event-kind.js';
import type { EventLog } from './event-log.js';

export const SAG_THRESHOLD = 0.9;
export const SWELL_THRESHOLD = 1.1;
export const INTERRUPTION_THRESHOLD = 0.1;
export const HYSTERESIS = 0.02;
export const REVERSE_POWER_QUALIFY_MS = 10_000;
export const UNBALANCE_THRESHOLD = 0.3;
export const UNBALANCE_QUALIFY_MS = 300_000;
/** Reverse power counts below -0.1 % of Un*In (a meter's starting power), ends above -0.05 %. */
export const REVERSE_POWER_FRACTION = 0.001;
/** Current unbalance is judged only when some phase carries at least 5 % of In. */
export const UNBALANCE_MIN_CURRENT_FRACTION = 0.05;

const PHASES = [0, 1, 2] as const;

/** Each condition's index in the table: three per phase, then the whole meter's. */
const SAG = 0;
const SWELL = 3;
const PHASE_LOSS = 6;
const OVER_CURRENT = 9;
const REVERSE_POWER = 12;
const INTERRUPTION = 15;
const PHASE_SEQUENCE = 16;
const UNBALANCE = 17;

const perPhase = (kind: EventKindName, extremeIsHighest: boolean, qualifyMs = 0): ConditionSpec[] =>
  PHASES.map((p) => ({ kind, phase: p + 1, extremeIsHighest, qualifyMs }));

/** The conditions every meter watches, in the order of the indices above (shared by a fleet). */
const CONDITIONS: readonly ConditionSpec[] = [
  ...perPhase(EventKind.SAG, false),
  ...perPhase(EventKind.SWELL, true),
  ...perPhase(EventKind.PHASE_LOSS, false),
  ...perPhase(EventKind.OVER_CURRENT, true),
  ...perPhase(EventKind.REVERSE_POWER, false, REVERSE_POWER_QUALIFY_MS),
  { kind: EventKind.INTERRUPTION, phase: 0, extremeIsHighest: false, qualifyMs: 0 },
  { kind: EventKind.PHASE_SEQUENCE, phase: 0, extremeIsHighest: true, qualifyMs: 0 },
  { kind: EventKind.CURRENT_UNBALANCE, phase: 0, extremeIsHighest: true, qualifyMs: UNBALANCE_QUALIFY_MS },
];

export class PowerQualityMonitor {
  private readonly conditions = new ConditionTable(CONDITIONS);

  observe(m: WindowMeasurement, nowMs: number, config: MeterConfiguration, log: EventLog): void {
    const c = this.conditions;
    const un = config.nominalVoltage * config.ptRatio;
    const imax = config.maxCurrent * config.ctRatio;
    const pn = un * config.nominalCurrent * config.ctRatio;
    const u0 = m.phases[0].voltageRms;
    const u1 = m.phases[1].voltageRms;
    const u2 = m.phases[2].voltageRms;
    const highest = Math.max(u0, u1, u2);
    const lowest = Math.min(u0, u1, u2);
    const lossLevel = INTERRUPTION_THRESHOLD * un;
    const lossEnd = (INTERRUPTION_THRESHOLD + HYSTERESIS) * un;
    c.update(INTERRUPTION, log, nowMs, highest < lossLevel, highest > lossEnd, highest);
    // Phase loss is a partial outage: not logged while the whole meter is interrupted.
    const interrupted = c.active(INTERRUPTION);
    for (const p of PHASES) {
      const phase = m.phases[p];
      const u = phase.voltageRms;
      c.update(SAG + p, log, nowMs, u < SAG_THRESHOLD * un, u > (SAG_THRESHOLD + HYSTERESIS) * un, u);
      c.update(SWELL + p, log, nowMs, u > SWELL_THRESHOLD * un, u < (SWELL_THRESHOLD - HYSTERESIS) * un, u);
      c.update(PHASE_LOSS + p, log, nowMs, u < lossLevel && !interrupted, u > lossEnd || interrupted, u);
      const i = phase.currentRms;
      c.update(OVER_CURRENT + p, log, nowMs, i > imax, i < (1 - HYSTERESIS) * imax, i);
      const power = phase.activePower;
      c.update(
        REVERSE_POWER + p,
        log,
        nowMs,
        power < -REVERSE_POWER_FRACTION * pn,
        power > (-REVERSE_POWER_FRACTION / 2) * pn,
        power,
      );
    }
    const allPresent = lowest > (INTERRUPTION_THRESHOLD + HYSTERESIS) * un;
    c.update(PHASE_SEQUENCE, log, nowMs, allPresent && m.phaseSequence === 'acb', !allPresent || m.phaseSequence === 'abc', 0);
    const loaded =
      Math.max(m.phases[0].currentRms, m.phases[1].currentRms, m.phases[2].currentRms) >=
      UNBALANCE_MIN_CURRENT_FRACTION * config.nominalCurrent * config.ctRatio;
    const unbalance = m.currentUnbalance;
    c.update(
      UNBALANCE,
      log,
      nowMs,
      loaded && unbalance > UNBALANCE_THRESHOLD,
      !loaded || unbalance < UNBALANCE_THRESHOLD - HYSTERESIS,
      unbalance,
    );
  }

  /** The earliest time a pending condition qualifies as an event (reverse power, unbalance); Infinity when none is pending. */
  nextQualifyingMs(): number {
    return this.conditions.earliestQualifyingMs();
  }

  /** True while a voltage event (sag, swell, interruption, phase loss) is active. */
  voltageEventActive(): boolean {
    const c = this.conditions;
    if (c.active(INTERRUPTION)) return true;
    for (let i = SAG; i < OVER_CURRENT; i += 1) if (c.active(i)) return true; // sag, swell, phase loss
    return false;
  }

  clear(): void {
    this.conditions.clear();
  }
}
