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

function emptyInterval(status: number): IntervalSums {
  return {
    seconds: 0,
    voltageS: [0, 0, 0],
    currentS: [0, 0, 0],
    frequencyS: 0,
    activeImportWh: 0,
    activeExportWh: 0,
    reactiveLagVarh: 0,
    reactiveLeadVarh: 0,
    apparentVAh: 0,
    status,
  };
}

export class LoadProfile {
  private readonly ring: RingBuffer<LoadProfileRecord>;
  private count = 0;
  private interval: IntervalSums;
  /** The ring as an array, kept while no record is added (snapshots reuse it and its JSON). */
  private exportedRecords: LoadProfileRecord[] | undefined;

  constructor(readonly periodS: number) {
    this.ring = new RingBuffer<LoadProfileRecord>(profileCapacity(periodS));
    this.interval = emptyInterval(0);
  }

  get recordCount(): number {
    return this.count;
  }

  /** `frequencyHz`: the mean frequency over the span (default the window's; an analytic source gives its exact mean). */
  accumulate(m: WindowMeasurement, durationS: number, frequencyHz = m.frequencyHz): void {
    if (!(durationS > 0)) return;
    const s = this.interval;
    s.seconds += durationS;
    for (let p = 0; p < 3; p += 1) {
      s.voltageS[p] += m.phases[p].voltageRms * durationS;
      s.currentS[p] += m.phases[p].currentRms * durationS;
    }
    s.frequencyS += frequencyHz * durationS;
    const hours = durationS / SECONDS_PER_HOUR;
    const p = m.total.activePower;
    const q = m.total.reactivePower;
    if (p >= 0) s.activeImportWh += p * hours;
    else s.activeExportWh -= p * hours;
    const quadrant = quadrantOf(p, q);
    if (quadrant === 1) s.reactiveLagVarh += q * hours;
    else if (quadrant === 4) s.reactiveLeadVarh -= q * hours;
    s.apparentVAh += m.total.apparentPower * hours;
  }

  /** Flag the running interval (relay open, event, configuration change ...). */
  mark(flag: number): void {
    this.interval.status |= flag;
  }

  /** Close the interval ending at `endMs` (a period boundary) and start the next. */
  close(endMs: number): LoadProfileRecord {
    const s = this.interval;
    const mean = (sum: number): number => (s.seconds > 0 ? sum / s.seconds : 0);
    let status = s.status;
    if (s.seconds < this.periodS - 1e-6) status |= ProfileStatus.PARTIAL;
    const record: LoadProfileRecord = {
      timeMs: endMs,
      meanVoltage: [mean(s.voltageS[0]), mean(s.voltageS[1]), mean(s.voltageS[2])],
      meanCurrent: [mean(s.currentS[0]), mean(s.currentS[1]), mean(s.currentS[2])],
      activeImportWh: s.activeImportWh,
      activeExportWh: s.activeExportWh,
      reactiveLagVarh: s.reactiveLagVarh,
      reactiveLeadVarh: s.reactiveLeadVarh,
      apparentVAh: s.apparentVAh,
      frequencyHz: mean(s.frequencyS),
      status,
    };
    this.ring.push(record);
    this.count += 1;
    this.exportedRecords = undefined;
    this.interval = emptyInterval(0);
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
    return { count: this.count, records: this.exportedRecords, interval: structuredClone(this.interval) };
  }

  importState(state: LoadProfileState, keepInterval: boolean): void {
    this.ring.clear();
    for (const record of state.records) this.ring.push(record);
    this.count = state.count;
    this.exportedRecords = undefined;
    if (keepInterval) this.interval = structuredClone(state.interval);
  }
}
