/**
 * Watches each (scaled) measurement for the events a meter derives from what it measures:
 * sag, swell, interruption, phase loss, over-current, reverse power, phase sequence, current
 * unbalance. Thresholds follow IEC 61000-4-30 practice: fractions of the nominal voltage with a
 * hysteresis of 2 % of nominal. Nominal values are terminal ratings times the CT/PT ratios.
 */
import type { WindowMeasurement } from '../../metrology/measurement.js';
import type { MeterConfiguration } from '../meter-configuration.js';
import { ConditionTracker } from './condition-tracker.js';
import { EventKind } from './event-kind.js';
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

export class PowerQualityMonitor {
  private readonly sag = PHASES.map((p) => new ConditionTracker(EventKind.SAG, p + 1, false));
  private readonly swell = PHASES.map((p) => new ConditionTracker(EventKind.SWELL, p + 1, true));
  private readonly phaseLoss = PHASES.map((p) => new ConditionTracker(EventKind.PHASE_LOSS, p + 1, false));
  private readonly overCurrent = PHASES.map((p) => new ConditionTracker(EventKind.OVER_CURRENT, p + 1, true));
  private readonly reversePower = PHASES.map(
    (p) => new ConditionTracker(EventKind.REVERSE_POWER, p + 1, false, REVERSE_POWER_QUALIFY_MS),
  );
  private readonly interruption = new ConditionTracker(EventKind.INTERRUPTION, 0, false);
  private readonly phaseSequence = new ConditionTracker(EventKind.PHASE_SEQUENCE, 0, true);
  private readonly unbalance = new ConditionTracker(EventKind.CURRENT_UNBALANCE, 0, true, UNBALANCE_QUALIFY_MS);
  private readonly all: ConditionTracker[] = [
    ...this.sag,
    ...this.swell,
    ...this.phaseLoss,
    ...this.overCurrent,
    ...this.reversePower,
    this.interruption,
    this.phaseSequence,
    this.unbalance,
  ];

  observe(m: WindowMeasurement, nowMs: number, config: MeterConfiguration, log: EventLog): void {
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
    this.interruption.update(log, nowMs, highest < lossLevel, highest > lossEnd, highest);
    // Phase loss is a partial outage: not logged while the whole meter is interrupted.
    const interrupted = this.interruption.active;
    for (const p of PHASES) {
      const phase = m.phases[p];
      const u = phase.voltageRms;
      this.sag[p].update(log, nowMs, u < SAG_THRESHOLD * un, u > (SAG_THRESHOLD + HYSTERESIS) * un, u);
      this.swell[p].update(log, nowMs, u > SWELL_THRESHOLD * un, u < (SWELL_THRESHOLD - HYSTERESIS) * un, u);
      this.phaseLoss[p].update(log, nowMs, u < lossLevel && !interrupted, u > lossEnd || interrupted, u);
      const i = phase.currentRms;
      this.overCurrent[p].update(log, nowMs, i > imax, i < (1 - HYSTERESIS) * imax, i);
      const power = phase.activePower;
      this.reversePower[p].update(
        log,
        nowMs,
        power < -REVERSE_POWER_FRACTION * pn,
        power > (-REVERSE_POWER_FRACTION / 2) * pn,
        power,
      );
    }
    const allPresent = lowest > (INTERRUPTION_THRESHOLD + HYSTERESIS) * un;
    this.phaseSequence.update(log, nowMs, allPresent && m.phaseSequence === 'acb', !allPresent || m.phaseSequence === 'abc', 0);
    const loaded =
      Math.max(m.phases[0].currentRms, m.phases[1].currentRms, m.phases[2].currentRms) >=
      UNBALANCE_MIN_CURRENT_FRACTION * config.nominalCurrent * config.ctRatio;
    const unbalance = m.currentUnbalance;
    this.unbalance.update(
      log,
      nowMs,
      loaded && unbalance > UNBALANCE_THRESHOLD,
      !loaded || unbalance < UNBALANCE_THRESHOLD - HYSTERESIS,
      unbalance,
    );
  }

  /** The earliest time a pending condition qualifies as an event (reverse power, unbalance); Infinity when none is pending. */
  nextQualifyingMs(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const tracker of this.all) earliest = Math.min(earliest, tracker.qualifiesAtMs);
    return earliest;
  }

  /** True while a voltage event (sag, swell, interruption, phase loss) is active. */
  voltageEventActive(): boolean {
    return (
      this.interruption.active ||
      this.sag.some((t) => t.active) ||
      this.swell.some((t) => t.active) ||
      this.phaseLoss.some((t) => t.active)
    );
  }

  clear(): void {
    for (const tracker of this.all) tracker.clear();
  }
}
