/**
 * What `submeter read` prints per poll in each `--format`: the block table (the default), one JSON
 * object, one `key=valueUNIT` line, or one CSV row (a header first). With `changes`, only values
 * that differ from the previous poll are printed (the first poll prints everything; a poll where
 * nothing changed prints nothing).
 */
import type { DecodedValue } from '../../runtime/read/read-plan.js';
import type { ReadResult } from '../../runtime/read/read-result.js';
import { formatNumber, formatTable } from './format-table.js';

export const READ_FORMATS = ['table', 'json', 'line', 'csv'] as const;
export type ReadFormat = (typeof READ_FORMATS)[number];

export interface PollContext {
  readonly profile: string;
  readonly unit: number;
  readonly transport: string;
  readonly watch: boolean;
}

const keyOf = (v: DecodedValue): string => `${v.space}:${v.address}`;

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function valueText(v: DecodedValue): string {
  return typeof v.value === 'string' ? JSON.stringify(v.value) : formatNumber(v.value);
}

export class PollPrinter {
  private readonly previous = new Map<string, number | string>();
  private labels: Map<string, string> | undefined;
  private columns: DecodedValue[] | undefined;

  constructor(
    private readonly format: ReadFormat,
    private readonly context: PollContext,
    private readonly changesOnly = false,
  ) {}

  /** The text for one poll ('' when there is nothing to print). */
  print(result: ReadResult, time: string): string {
    const values = this.changesOnly ? result.values.filter((v) => this.previous.get(keyOf(v)) !== v.value) : result.values;
    const first = this.labels === undefined;
    const labels = this.labelsFor(result.values);
    for (const v of result.values) this.previous.set(keyOf(v), v.value);
    const nothing = this.changesOnly && !first && values.length === 0;
    const { profile, unit, transport } = this.context;
    switch (this.format) {
      case 'json':
        if (nothing) return '';
        return `${JSON.stringify({ time, profile, unit, transport, values, errors: result.errors })}\n`;
      case 'line': {
        if (nothing) return '';
        const pairs = values.map((v) => `${labels.get(keyOf(v)) ?? v.name}=${valueText(v)}${v.unit}`);
        if (result.errors.length > 0) pairs.push(`errors=${result.errors.length}`);
        return `${[time, ...pairs].join(' ')}\n`;
      }
      case 'csv': {
        const columns = (this.columns ??= result.values);
        const header = first ? `${['time', ...columns.map((c) => csvCell(`${labels.get(keyOf(c)) ?? c.name}${c.unit === '' ? '' : ` [${c.unit}]`}`))].join(',')}\n` : '';
        if (nothing) return header;
        const byKey = new Map(values.map((v) => [keyOf(v), v] as const));
        const cells = columns.map((c) => {
          const v = byKey.get(keyOf(c));
          return v === undefined ? '' : csvCell(typeof v.value === 'string' ? v.value : String(v.value));
        });
        return `${header}${[time, ...cells].join(',')}\n`;
      }
      case 'table': {
        if (nothing) return '';
        const heading = `${profile} unit ${unit} on ${transport} at ${time}`;
        return `${heading}\n${formatTable({ values, errors: result.errors })}\n${this.context.watch ? '\n' : ''}`;
      }
    }
  }

  /** Short names for the line and CSV formats: the quantity, or the register name where a quantity repeats or is a constant. */
  private labelsFor(values: readonly DecodedValue[]): Map<string, string> {
    if (this.labels !== undefined) return this.labels;
    const count = new Map<string, number>();
    for (const v of values) count.set(v.quantity, (count.get(v.quantity) ?? 0) + 1);
    this.labels = new Map(
      values.map((v) => [keyOf(v), v.quantity !== 'constant' && count.get(v.quantity) === 1 ? v.quantity : `${v.quantity}@${v.space}.${v.address}`] as const),
    );
    return this.labels;
  }
}
