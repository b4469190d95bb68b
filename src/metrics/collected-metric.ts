/**
 * prom-client metrics whose values are read at scrape time from what the panel already keeps
 * (meter snapshots, endpoint counters) instead of being pushed into prom-client on every change:
 * the hot paths (a Modbus request, a meter tick) never touch prom-client. Each class keeps
 * prom-client's name, help and type, and replaces the values with those `read` returns.
 */
import { Counter, Gauge, Histogram, type LabelValues, type MetricObjectWithValues, type MetricValue, type MetricValueWithName } from 'prom-client';

/** One sample: its labels and value (and, for a histogram's parts, the series name). */
export type Sample = MetricValueWithName<string>;

export interface CollectedMetricOptions {
  readonly name: string;
  readonly help: string;
  /** The samples now. */
  readonly read: () => Sample[];
}

export class CollectedCounter extends Counter<string> {
  private readonly read: () => Sample[];

  constructor(options: CollectedMetricOptions) {
    super({ name: options.name, help: options.help, registers: [] });
    this.read = options.read;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    return { ...(await super.get()), values: this.read() };
  }
}

export class CollectedGauge extends Gauge<string> {
  private readonly read: () => Sample[];

  constructor(options: CollectedMetricOptions) {
    super({ name: options.name, help: options.help, registers: [] });
    this.read = options.read;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    return { ...(await super.get()), values: this.read() };
  }
}

/** A histogram's state as counted elsewhere: non-cumulative counts per bucket (last one +Inf), and the sum. */
export interface HistogramState {
  readonly labels: LabelValues<string>;
  readonly bucketCounts: ArrayLike<number>;
  readonly sum: number;
}

export class CollectedHistogram extends Histogram<string> {
  private readonly bounds: readonly number[];
  private readonly readStates: () => HistogramState[];

  constructor(options: { name: string; help: string; buckets: readonly number[]; read: () => HistogramState[] }) {
    super({ name: options.name, help: options.help, buckets: [...options.buckets], registers: [] });
    this.bounds = options.buckets;
    this.readStates = options.read;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const base = await super.get();
    const values: Sample[] = [];
    for (const state of this.readStates()) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += state.bucketCounts[i] ?? 0;
        values.push({ metricName: `${base.name}_bucket`, labels: { ...state.labels, le: i < this.bounds.length ? String(this.bounds[i]) : '+Inf' }, value: cumulative });
      }
      values.push({ metricName: `${base.name}_sum`, labels: state.labels, value: state.sum });
      values.push({ metricName: `${base.name}_count`, labels: state.labels, value: cumulative });
    }
    return { ...base, values };
  }
}
