/**
 * The load profile as CSV (RFC 4180, comma-separated, one header line), oldest record first.
 * Times are ISO 8601 UTC plus the meter's local time with its offset at that instant; energies in Wh,
 * varh and VAh (the SI units of the registers), voltages V, currents A, frequency Hz.
 */
import { offsetMinutesAt, type LocalZone } from './local-time.js';
import { describeProfileStatus } from './profile-status.js';
import type { LoadProfileRecord } from './snapshot.js';

export const LOAD_PROFILE_CSV_HEADER = [
  'end_utc',
  'end_local',
  'u1_v',
  'u2_v',
  'u3_v',
  'i1_a',
  'i2_a',
  'i3_a',
  'import_wh',
  'export_wh',
  'reactive_lag_varh',
  'reactive_lead_varh',
  'apparent_vah',
  'frequency_hz',
  'status',
  'status_flags',
].join(',');

function localIso(timeMs: number, zone: LocalZone): string {
  const utcOffsetMinutes = offsetMinutesAt(zone, timeMs);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return new Date(timeMs + utcOffsetMinutes * 60_000).toISOString().slice(0, 19) + offset;
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

export function loadProfileToCsv(records: readonly LoadProfileRecord[], zone: LocalZone = 0): string {
  const lines = [LOAD_PROFILE_CSV_HEADER];
  for (const r of records) {
    lines.push(
      [
        new Date(r.timeMs).toISOString(),
        localIso(r.timeMs, zone),
        fixed(r.meanVoltage[0], 3),
        fixed(r.meanVoltage[1], 3),
        fixed(r.meanVoltage[2], 3),
        fixed(r.meanCurrent[0], 4),
        fixed(r.meanCurrent[1], 4),
        fixed(r.meanCurrent[2], 4),
        fixed(r.activeImportWh, 4),
        fixed(r.activeExportWh, 4),
        fixed(r.reactiveLagVarh, 4),
        fixed(r.reactiveLeadVarh, 4),
        fixed(r.apparentVAh, 4),
        fixed(r.frequencyHz, 4),
        String(r.status),
        describeProfileStatus(r.status),
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
