/**
 * The per-meter series of /metrics, written straight to the text exposition format: with a
 * thousand meters that is ~25,000 lines, and building a label object per sample for prom-client
 * to format cost ~170 ms a scrape; here every label set is escaped once, when the metrics are
 * created, and a scrape only appends numbers (see scripts/bench/http.bench.ts).
 */
import type { MeterSnapshot } from '../meter/snapshot.js';

/** A label value escaped as the exposition format wants it (backslash, quote, newline). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus reads it. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

export interface MeterSeries {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  /** Extra label name and its values (phase 1..3, quadrant 1..4), one sample per value; none: one sample. */
  readonly split?: { readonly label: string; readonly values: readonly string[] };
  /** The value of sample `k` (0 when not split). */
  value(snapshot: MeterSnapshot, k: number): number;
}

/** Writes `series` for the given meters; label strings are built once per meter name. */
export class MeterSeriesText {
  /** Per series, per meter, per split value: `name{meter="...",phase="1"} `. */
  private readonly prefixes: string[][][];

  constructor(
    private readonly series: readonly MeterSeries[],
    meterNames: readonly string[],
  ) {
    this.prefixes = series.map((s) =>
      meterNames.map((meter) => {
        const base = `meter="${escapeLabelValue(meter)}"`;
        if (s.split === undefined) return [`${s.name}{${base}} `];
        const label = s.split.label;
        return s.split.values.map((v) => `${s.name}{${base},${label}="${escapeLabelValue(v)}"} `);
      }),
    );
  }

  /** The text of every series for `snapshots[i]` of meter i (undefined: the meter is skipped). */
  render(snapshots: readonly (MeterSnapshot | undefined)[]): string {
    const parts: string[] = [];
    this.series.forEach((s, index) => {
      parts.push(`# HELP ${s.name} ${s.help}\n# TYPE ${s.name} ${s.type}\n`);
      const prefixes = this.prefixes[index] ?? [];
      for (let i = 0; i < prefixes.length; i++) {
        const snapshot = snapshots[i];
        const meterPrefixes = prefixes[i];
        if (snapshot === undefined || meterPrefixes === undefined) continue;
        for (let k = 0; k < meterPrefixes.length; k++) parts.push(`${meterPrefixes[k] ?? ''}${formatSampleValue(s.value(snapshot, k))}\n`);
      }
      parts.push('\n');
    });
    return parts.join('');
  }
}
