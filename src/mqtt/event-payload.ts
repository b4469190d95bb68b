/**
 * An event message on <prefix>/<meter>/event: one when an event starts (or happens, for instant
 * ones) and one when it ends. An interruption (all phases without voltage) is the meter losing
 * its supply: its start is sent as the last gasp (`lastGasp: true`), as meters with a supercap
 * do, and the meter shows `offline` until the supply returns. A fall of an energy register
 * (reset) is sent as an `energy-register-reset` event, since telemetry itself never goes down.
 */
import type { MeterEventRecord } from '../meter/snapshot.js';
import type { EnergyFall } from './monotonic-energy.js';

export type EventPhase = 'start' | 'end' | 'instant';

/** True for the event that means the meter lost its supply (it sends a last gasp). */
export function isPowerLoss(record: MeterEventRecord): boolean {
  return record.kind === 'interruption';
}

export function eventPhase(record: MeterEventRecord): EventPhase {
  if (record.endMs === 0) return 'start';
  return record.endMs === record.startMs ? 'instant' : 'end';
}

function iso(ms: number): string | null {
  return ms === 0 ? null : new Date(ms).toISOString();
}

export function eventPayload(record: MeterEventRecord): string {
  const phase = eventPhase(record);
  return JSON.stringify({
    sequence: record.sequence,
    kind: record.kind,
    state: phase,
    phase: record.phase,
    start: iso(record.startMs),
    end: iso(record.endMs),
    extremeValue: record.extremeValue,
    ...(record.detail === undefined ? {} : { detail: record.detail }),
    ...(phase === 'start' && isPowerLoss(record) ? { lastGasp: true } : {}),
  });
}

export function energyFallPayload(timeMs: number, fall: EnergyFall, offset: number): string {
  return JSON.stringify({
    kind: 'energy-register-reset',
    state: 'instant',
    time: new Date(timeMs).toISOString(),
    quantity: fall.key,
    publishedBefore: fall.publishedBefore,
    registerNow: fall.registerNow,
    /** Added to the register from now on, so the published total keeps increasing. */
    offset,
  });
}
