/** `submeter read` output: an aligned table of decoded values, or JSON. */
import { renderTable } from '../text-table.js';
import type { DecodedValue } from '../../runtime/read/read-plan.js';
import type { ReadResult } from '../../runtime/read/read-result.js';

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const digits = Math.abs(value) >= 1 ? Math.floor(Math.log10(Math.abs(value))) + 1 : 1;
  return value.toFixed(Math.min(6, Math.max(1, 7 - digits)));
}

/**
 * The value as the register carries it, in the map's unit ("2.81 %", "1234.567 kWh", "2301 0.1 V"),
 * when that differs from the SI column: what the real meter's display or a BMS template shows.
 */
function registerView(v: DecodedValue): string {
  if (typeof v.raw !== 'number' || v.rawUnit === v.unit) return '';
  return `(${formatNumber(v.raw)}${v.rawUnit === '' ? '' : ' ' + v.rawUnit})`;
}

export function formatTable(result: ReadResult): string {
  const rows = result.values.map((v) => [
    v.space,
    String(v.address),
    v.name,
    typeof v.value === 'string' ? JSON.stringify(v.value) : formatNumber(v.value),
    v.unit,
    registerView(v),
  ]);
  const lines = rows.length === 0 ? [] : renderTable(rows, ['left', 'right', 'left', 'right', 'left']).split('\n');
  for (const e of result.errors) lines.push(`${e.space} ${e.address}..${e.address + e.quantity - 1}: ${e.error}`);
  return lines.join('\n');
}
