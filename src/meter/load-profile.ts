/**
 * The load profile: one record per profile period (15 min by default, aligned to local clock
 * time) with the interval's mean voltage and current per phase, its energies (import/export Wh,
 * reactive lag = QI and lead = QIV varh, apparent VAh), mean frequency and status flags.
 * Records live in a ring of at least 45 days (4320 records at 15 min).
 */
import type { WindowMeasurement } from '../metrology/measurement.js';
import { ProfileStatus } from './profile-status.js';
import { quadrantOf } from './quadrant.js';
import { RingBuffer } from './ring-buffer.js';
import type { LoadProfileRecord } from './snapshot.js';

export const PROFILE_RETENTION_S = 45 * 86_400;
export const MIN_PROFILE_RECORDS = 4320;

/** Ring capacity for a period: 45 days of records, at least 4320. */
export function profileCapacity(periodS: number): number {
  return Math.max(MIN_PROFILE_RECORDS, Math.ceil(PROFILE_RETENTION_S / periodS));
}

const SECONDS_PER_HOUR = 3600;

export interface LoadProfileState {
  count: number;
  records: LoadProfileRecord[];
  interval: IntervalSums;
}

/** The running interval as a state file keeps it. */
interface IntervalSums {
  seconds: number;
  voltageS: [number, number, number];
  currentS: [number, number, number];
  frequencyS: number;
  activeImportWh: number;
  activeExportWh: number;
  reactiveLagVarh: number;
  reactiveLeadVarh: number;
  apparentVAh: number;
  status: number;
}

/** Slots of LoadProfile.sums (the running interval's time integrals). */
const SECONDS = 0;
const VOLTAGE_S = 1; // L1..L3 at 1..3
const CURRENT_S = 4; // L1..L3 at 4..6
const FREQUENCY_S = 7;
const ACTIVE_IMPORT_WH = 8;
const ACTIVE_EXPORT_WH = 9;
const REACTIVE_LAG_VARH = 10;
const REACTIVE_LEAD_VARH = 11;
const APPARENT_VAH = 12;
const SUMS = 13;

export class LoadProfile {
  private readonly ring: RingBuffer<LoadProfileRecord>;
  private count = 0;
  /**
   * The running interval's sums, in one array of doubles written in place (V8 stores an array of
   * numbers unboxed, on the heap; a Float64Array this long would have its store off the heap,
   * ~400 bytes a meter more). They were the fields of an object literal, which V8 kept as tagged
   * fields: every tick boxed five new numbers into the meter's long-lived interval, and under
   * polls spread over 100,000 meters each outlived the young generation (~70 bytes promoted a
   * read) and had the scavenger visit the meter.
   */
  private readonly sums: number[] = Array.from({ length: SUMS }, () => 0);
  /** The running interval's status flags (ProfileStatus). */
  private status = 0;
  /** The ring as an array, kept while no record is added (snapshots reuse it and its JSON). */
  private exportedRecords: LoadProfileRecord[] | undefined;

  constructor(readonly periodS: number) {
    this.ring = new RingBuffer<LoadProfileRecord>(profileCapacity(periodS));
  }

  get recordCount(): number {
    return this.count;
  }

  /** `frequencyHz`: the mean frequency over the span (default the window's; an analytic source gives its exact mean). */
  accumulate(m: WindowMeasurement, durationS: number, frequencyHz = m.frequencyHz): void {
    if (!(durationS > 0)) return;
    const s = this.sums;
    s[SECONDS] += durationS;
    for (let p = 0; p < 3; p += 1) {
      s[VOLTAGE_S + p] += m.phases[p].voltageRms * durationS;
      s[CURRENT_S + p] += m.phases[p].currentRms * durationS;
    }
    s[FREQUENCY_S] += frequencyHz * durationS;
    const hours = durationS / SECONDS_PER_HOUR;
    const p = m.total.activePower;
    const q = m.total.reactivePower;
    if (p >= 0) s[ACTIVE_IMPORT_WH] += p * hours;
    else s[ACTIVE_EXPORT_WH] -= p * hours;
    const quadrant = quadrantOf(p, q);
    if (quadrant === 1) s[REACTIVE_LAG_VARH] += q * hours;
    else if (quadrant === 4) s[REACTIVE_LEAD_VARH] -= q * hours;
    s[APPARENT_VAH] += m.total.apparentPower * hours;
  }

  /** Flag the running interval (relay open, event, configuration change ...). */
  mark(flag: number): void {
    this.status |= flag;
  }

  /** Close the interval ending at `endMs` (a period boundary) and start the next. */
  close(endMs: number): LoadProfileRecord {
    const s = this.sums;
    const seconds = s[SECONDS] as number;
    const mean = (slot: number): number => (seconds > 0 ? (s[slot] as number) / seconds : 0);
    let status = this.status;
    if (seconds < this.periodS - 1e-6) status |= ProfileStatus.PARTIAL;
    const record: LoadProfileRecord = {
      timeMs: endMs,
      meanVoltage: [mean(VOLTAGE_S), mean(VOLTAGE_S + 1), mean(VOLTAGE_S + 2)],
      meanCurrent: [mean(CURRENT_S), mean(CURRENT_S + 1), mean(CURRENT_S + 2)],
      activeImportWh: s[ACTIVE_IMPORT_WH] as number,
      activeExportWh: s[ACTIVE_EXPORT_WH] as number,
      reactiveLagVarh: s[REACTIVE_LAG_VARH] as number,
      reactiveLeadVarh: s[REACTIVE_LEAD_VARH] as number,
      apparentVAh: s[APPARENT_VAH] as number,
      frequencyHz: mean(FREQUENCY_S),
      status,
    };
    this.ring.push(record);
    this.count += 1;
    this.exportedRecords = undefined;
    s.fill(0);
    this.status = 0;
    return record;
  }

  /** 0 = newest. */
  fromNewest(index: number): LoadProfileRecord | undefined {
    return this.ring.fromNewest(index);
  }

  /** Oldest first. */
  records(): LoadProfileRecord[] {
    return this.ring.toArray();
  }

  exportState(): LoadProfileState {
    this.exportedRecords ??= this.ring.toArray();
    const s = this.sums;
    const at = (slot: number): number => s[slot] as number;
    const interval: IntervalSums = {
      seconds: at(SECONDS),
      voltageS: [at(VOLTAGE_S), at(VOLTAGE_S + 1), at(VOLTAGE_S + 2)],
      currentS: [at(CURRENT_S), at(CURRENT_S + 1), at(CURRENT_S + 2)],
      frequencyS: at(FREQUENCY_S),
      activeImportWh: at(ACTIVE_IMPORT_WH),
      activeExportWh: at(ACTIVE_EXPORT_WH),
      reactiveLagVarh: at(REACTIVE_LAG_VARH),
      reactiveLeadVarh: at(REACTIVE_LEAD_VARH),
      apparentVAh: at(APPARENT_VAH),
      status: this.status,
    };
    return { count: this.count, records: this.exportedRecords, interval };
  }

  importState(state: LoadProfileState, keepInterval: boolean): void {
    this.ring.clear();
    for (const record of state.records) this.ring.push(record);
    this.count = state.count;
    this.exportedRecords = undefined;
    if (!keepInterval) return;
    const i = state.interval;
    const s = this.sums;
    s[SECONDS] = i.seconds;
    for (let p = 0; p < 3; p += 1) {
      s[VOLTAGE_S + p] = i.voltageS[p] as number;
      s[CURRENT_S + p] = i.currentS[p] as number;
    }
    s[FREQUENCY_S] = i.frequencyS;
    s[ACTIVE_IMPORT_WH] = i.activeImportWh;
    s[ACTIVE_EXPORT_WH] = i.activeExportWh;
    s[REACTIVE_LAG_VARH] = i.reactiveLagVarh;
    s[REACTIVE_LEAD_VARH] = i.reactiveLeadVarh;
    s[APPARENT_VAH] = i.apparentVAh;
    this.status = i.status;
  }
}
