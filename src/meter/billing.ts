/**
 * Billing periods: a period closes on a configured day of the month at a configured local time;
 * the meter then stores the cumulative registers, the maximum demands with their times and the
 * period's dates, keeps the last 12 such records, and resets the maximum demands.
 */
import { localTimeOf, parseTimeOfDay, utcOfLocal, type LocalZone } from './local-time.js';
import { RingBuffer } from './ring-buffer.js';
import type { DemandRegisters, EnergyRegisters, TariffRegisters } from './snapshot.js';

export const BILLING_HISTORY_LENGTH = 12;

export interface BillingPeriodRecord {
  /** 1 for the first period the meter ever closed. */
  sequence: number;
  startMs: number;
  endMs: number;
  /** Cumulative registers at the close. */
  energy: EnergyRegisters;
  tariffs: TariffRegisters[];
  co2Kg: number;
  /** Demand registers at the close: maxima (per tariff too) and their times during the period. */
  demand: DemandRegisters;
}

/** The first billing close strictly after `timeMs`. */
export function nextBillingClose(timeMs: number, dayOfMonth: number, time: string, zone: LocalZone): number {
  const minute = parseTimeOfDay(time) ?? 0;
  const local = localTimeOf(timeMs, zone);
  const thisMonth = utcOfLocal(local.year, local.month, dayOfMonth, minute, zone);
  if (thisMonth > timeMs) return thisMonth;
  return utcOfLocal(local.year, local.month + 1, dayOfMonth, minute, zone);
}

export interface BillingHistoryState {
  count: number;
  periodStartMs: number;
  records: BillingPeriodRecord[];
}

export class BillingHistory {
  private readonly ring = new RingBuffer<BillingPeriodRecord>(BILLING_HISTORY_LENGTH);
  private count = 0;

  constructor(private periodStartMs: number) {}

  get closedCount(): number {
    return this.count;
  }

  get currentPeriodStartMs(): number {
    return this.periodStartMs;
  }

  /** The meter started counting: the first period begins now. */
  startPeriodAt(timeMs: number): void {
    this.periodStartMs = timeMs;
  }

  close(endMs: number, energy: EnergyRegisters, tariffs: TariffRegisters[], co2Kg: number, demand: DemandRegisters): BillingPeriodRecord {
    this.count += 1;
    const record: BillingPeriodRecord = { sequence: this.count, startMs: this.periodStartMs, endMs, energy, tariffs, co2Kg, demand };
    this.ring.push(record);
    this.periodStartMs = endMs;
    return record;
  }

  /** 0 = the most recently closed period. */
  fromNewest(index: number): BillingPeriodRecord | undefined {
    return this.ring.fromNewest(index);
  }

  exportState(): BillingHistoryState {
    return { count: this.count, periodStartMs: this.periodStartMs, records: this.ring.toArray() };
  }

  importState(state: BillingHistoryState): void {
    this.ring.clear();
    for (const record of state.records) this.ring.push(record);
    this.count = state.count;
    this.periodStartMs = state.periodStartMs;
  }
}
