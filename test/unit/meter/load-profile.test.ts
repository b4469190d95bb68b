import { describe, expect, it } from 'vitest';
import { ProfileStatus } from '../../../src/meter/profile-status.js';
import { Meter } from '../../../src/meter/meter.js';
import { LOAD_PROFILE_CSV_HEADER } from '../../../src/meter/load-profile-csv.js';
import { LoadProfile } from '../../../src/meter/load-profile.js';
import { balancedLoad, PhasorSource } from '../../support/phasor-measurement.js';

const START = Date.UTC(2026, 2, 1, 0, 5); // 5 minutes into a 15-minute interval
const DAY_MS = 86_400_000;

describe('load profile', () => {
  it('records 45 days of 15-minute intervals with means, energies and flags, in a 4320-record ring', () => {
    // Current follows the hour of day: I = 5 + hour A per phase, unity PF, 230 V, 50 Hz.
    const source = new PhasorSource((t) => {
      // The tick at t reports the interval before it: use the hour of (t - 1 ms).
      const hour = new Date(t * 1000 - 1).getUTCHours();
      return balancedLoad(230, 5 + hour, 0);
    });
    const meter = new Meter({ source, configuration: { utcOffsetMinutes: 0 } });
    const end = START + 45 * DAY_MS;
    for (let t = START; t <= end; t += 60_000) meter.tick(t);
    const records = meter.profileRecords();
    // Intervals end 00:15 .. (45 days later) 00:00: 45 * 96 = 4320 records, the first one partial.
    expect(meter.snapshot().profileCount).toBe(4320);
    expect(records).toHaveLength(4320);
    expect(records[0].timeMs).toBe(Date.UTC(2026, 2, 1, 0, 15));
    expect(records[0].status & ProfileStatus.PARTIAL).toBe(ProfileStatus.PARTIAL);
    expect(records[0].activeImportWh).toBeCloseTo(3 * 230 * 5 * (10 / 60), 6);
    const r = records[(13 * 60 + 45 - 15) / 15]; // interval 13:30-13:45 of day 1
    expect(r.timeMs).toBe(Date.UTC(2026, 2, 1, 13, 45));
    expect(r.status).toBe(0);
    expect(r.meanCurrent[0]).toBeCloseTo(18, 9);
    expect(r.meanVoltage[2]).toBeCloseTo(230, 9);
    expect(r.activeImportWh).toBeCloseTo(3 * 230 * 18 * 0.25, 6);
    expect(r.reactiveLagVarh).toBeCloseTo(0, 9);
    expect(r.apparentVAh).toBeCloseTo(3 * 230 * 18 * 0.25, 6);
    expect(r.frequencyHz).toBeCloseTo(50, 9);
    // Interval energies add up to the register, less the running interval (00:00-00:05 at 5 A).
    const sum = records.reduce((s, x) => s + x.activeImportWh, 0);
    expect(sum + 3 * 230 * 5 * (5 / 60)).toBeCloseTo(meter.snapshot().energy.total.activeImportWh, 3);
    // One more day: the ring drops the oldest records and keeps 4320.
    for (let t = end + 60_000; t <= end + DAY_MS; t += 60_000) meter.tick(t);
    expect(meter.snapshot().profileCount).toBe(4320 + 96);
    expect(meter.profileRecords()).toHaveLength(4320);
    expect(meter.profileRecord(4319)?.timeMs).toBe(Date.UTC(2026, 2, 2, 0, 15));
    expect(meter.profileRecord(0)?.timeMs).toBe(end + DAY_MS - 300_000);
    expect(meter.profileRecord(4320)).toBeUndefined();
  });

  it('a running interval saved and restored closes into the same record as one never saved', () => {
    const m = new PhasorSource(() => balancedLoad(230, 10, 0.3)).measureAt(0);
    const kept = new LoadProfile(900);
    kept.accumulate(m, 300);
    kept.mark(ProfileStatus.RELAY_OPEN);
    // Through JSON, as the state file carries it: the interval's fields in their order.
    const state = JSON.parse(JSON.stringify(kept.exportState())) as ReturnType<LoadProfile['exportState']>;
    expect(Object.keys(state.interval)).toEqual(['seconds', 'voltageS', 'currentS', 'frequencyS', 'activeImportWh', 'activeExportWh', 'reactiveLagVarh', 'reactiveLeadVarh', 'apparentVAh', 'status']);
    expect(state.interval.seconds).toBe(300);
    expect(state.interval.voltageS[2]).toBeCloseTo(230 * 300, 6);
    expect(state.interval.activeImportWh).toBeCloseTo((3 * 230 * 10 * Math.cos(0.3) * 300) / 3600, 6);
    expect(state.interval.status).toBe(ProfileStatus.RELAY_OPEN);
    const restored = new LoadProfile(900);
    restored.importState(state, true);
    kept.accumulate(m, 600);
    restored.accumulate(m, 600);
    const end = START + 600_000;
    const record = restored.close(end);
    expect(record).toEqual(kept.close(end));
    expect(record.meanCurrent[0]).toBeCloseTo(10, 9);
    expect(record.status).toBe(ProfileStatus.RELAY_OPEN);
    // The next interval starts empty: nothing measured, so partial, zero means and energies.
    const empty = restored.close(end + 900_000);
    expect(empty.status).toBe(ProfileStatus.PARTIAL);
    expect(empty.meanVoltage).toEqual([0, 0, 0]);
    expect(empty.activeImportWh).toBe(0);
  });

  it('exports CSV with a header line and one line per record', () => {
    const source = new PhasorSource(() => balancedLoad(231, 7, Math.PI / 6));
    const meter = new Meter({ source, configuration: { utcOffsetMinutes: 120, profilePeriodS: 300 } });
    const start = Date.UTC(2026, 5, 1, 10, 0);
    for (let t = start; t <= start + 3_600_000; t += 30_000) meter.tick(t);
    const csv = meter.loadProfileCsv();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(LOAD_PROFILE_CSV_HEADER);
    expect(lines).toHaveLength(1 + 12);
    const fields = lines[1].split(',');
    expect(fields[0]).toBe('2026-06-01T10:05:00.000Z');
    expect(fields[1]).toBe('2026-06-01T12:05:00+02:00');
    expect(Number(fields[2])).toBeCloseTo(231, 3);
    expect(Number(fields[8])).toBeCloseTo(3 * 231 * 7 * Math.cos(Math.PI / 6) / 12, 3);
    expect(Number(fields[10])).toBeCloseTo(3 * 231 * 7 * 0.5 / 12, 3);
    expect(fields[14]).toBe('0');
  });

  it('flags intervals with a power failure, relay opening and configuration change', () => {
    const source = new PhasorSource(() => balancedLoad(230, 10, 0));
    const meter = new Meter({ source });
    const start = Date.UTC(2026, 0, 1);
    for (let t = start; t <= start + 1_800_000; t += 60_000) meter.tick(t);
    const state = meter.exportState();
    if (state === undefined) throw new Error('no state');
    // Off for 50 minutes, then back.
    const restored = new Meter({ source });
    restored.restore(state, start + 1_800_000 + 3_000_000);
    const afterOutage = restored.profileRecords().slice(-3);
    expect(afterOutage.map((r) => r.timeMs)).toEqual([start + 2_700_000, start + 3_600_000, start + 4_500_000]);
    for (const r of afterOutage) expect(r.status & ProfileStatus.POWER_FAIL).toBe(ProfileStatus.POWER_FAIL);
    expect(afterOutage[1].activeImportWh).toBe(0);
    restored.setRelay(false);
    restored.updateSettings({ emissionFactorKgPerKWh: 0.5 });
    for (let t = start + 4_800_000; t <= start + 5_400_000; t += 60_000) restored.tick(t);
    const flagged = restored.profileRecord(0);
    expect(flagged?.timeMs).toBe(start + 5_400_000);
    expect((flagged?.status ?? 0) & ProfileStatus.RELAY_OPEN).toBe(ProfileStatus.RELAY_OPEN);
    expect((flagged?.status ?? 0) & ProfileStatus.CONFIGURATION_CHANGED).toBe(ProfileStatus.CONFIGURATION_CHANGED);
    expect((flagged?.status ?? 0) & ProfileStatus.POWER_FAIL).toBe(ProfileStatus.POWER_FAIL);
    expect(flagged?.activeImportWh).toBe(0);
  });
});

describe('load profile alignment', () => {
  it('closes hourly intervals on the local hour (UTC+05:30 -> half past the UTC hour)', () => {
    const meter = new Meter({
      source: new PhasorSource(() => balancedLoad(230, 10, 0)),
      configuration: { utcOffsetMinutes: 330, profilePeriodS: 3600, demandMethod: 'block', demandPeriodS: 3600 },
    });
    const start = Date.UTC(2026, 0, 1, 0, 0);
    for (let t = start; t <= start + 3 * 3_600_000; t += 120_000) meter.tick(t);
    expect(meter.profileRecords().map((r) => new Date(r.timeMs).toISOString())).toEqual([
      '2026-01-01T00:30:00.000Z',
      '2026-01-01T01:30:00.000Z',
      '2026-01-01T02:30:00.000Z',
    ]);
    expect(meter.profileRecord(0)?.activeImportWh).toBeCloseTo(6900, 6);
    // 00:30-01:30 is the first whole hour; an equal later maximum does not replace it.
    expect(meter.snapshot().demand.activeImport.maxTimeMs).toBe(Date.UTC(2026, 0, 1, 1, 30));
  });
});
