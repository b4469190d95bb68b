/**
 * The Sparkplug B payload (Eclipse Tahu's sparkplug_b.proto, org.eclipse.tahu.protobuf.Payload)
 * as protobuf, for the few fields an edge node needs: the payload's timestamp, metrics and seq;
 * a metric's name, alias, timestamp, datatype and value (Double, UInt64, Boolean, String) or
 * is_null. Our own encoder (a few varints and length prefixes) rather than protobufjs and a
 * generated module; the tests decode what it writes with Tahu's own JavaScript library.
 *
 *   Payload: timestamp = 1 (uint64), metrics = 2 (Metric), seq = 3 (uint64)
 *   Metric:  name = 1, alias = 2 (uint64), timestamp = 3 (uint64), datatype = 4 (uint32),
 *            is_null = 7, long_value = 11 (uint64), double_value = 13, boolean_value = 14,
 *            string_value = 15
 */

export const SparkplugDataType = { UInt64: 8, Double: 10, Boolean: 11, String: 12 } as const;

export type SparkplugValue =
  | { type: 'Double'; value: number }
  | { type: 'UInt64'; value: number }
  | { type: 'Boolean'; value: boolean }
  | { type: 'String'; value: string };

export interface SparkplugMetric {
  /** Omitted in DDATA once the birth has tied the alias to the name. */
  name?: string | undefined;
  alias?: number | undefined;
  timestampMs?: number | undefined;
  /** A non-finite Double is sent as is_null. */
  value: SparkplugValue;
}

export interface SparkplugPayload {
  timestampMs: number;
  seq?: number | undefined;
  metrics: SparkplugMetric[];
}

class Writer {
  private bytes: number[] = [];

  varint(value: number): void {
    let v = Math.floor(value);
    if (!(v >= 0)) throw new RangeError(`protobuf varint must be a non-negative integer, got ${value}`);
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }

  tag(field: number, wireType: 0 | 1 | 2 | 5): void {
    this.varint(field * 8 + wireType);
  }

  uint(field: number, value: number): void {
    this.tag(field, 0);
    this.varint(value);
  }

  double(field: number, value: number): void {
    this.tag(field, 1);
    const buffer = new DataView(new ArrayBuffer(8));
    buffer.setFloat64(0, value, true);
    for (let i = 0; i < 8; i += 1) this.bytes.push(buffer.getUint8(i));
  }

  bytesField(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
  }

  string(field: number, text: string): void {
    this.bytesField(field, new TextEncoder().encode(text));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function encodeMetric(metric: SparkplugMetric, payloadTimestampMs: number): Uint8Array {
  const w = new Writer();
  if (metric.name !== undefined) w.string(1, metric.name);
  if (metric.alias !== undefined) w.uint(2, metric.alias);
  w.uint(3, metric.timestampMs ?? payloadTimestampMs);
  w.uint(4, SparkplugDataType[metric.value.type]);
  const { value } = metric;
  switch (value.type) {
    case 'Double':
      if (Number.isFinite(value.value)) w.double(13, value.value);
      else w.uint(7, 1);
      break;
    case 'UInt64':
      w.uint(11, value.value);
      break;
    case 'Boolean':
      w.uint(14, value.value ? 1 : 0);
      break;
    case 'String':
      w.string(15, value.value);
      break;
  }
  return w.finish();
}

export function encodeSparkplugPayload(payload: SparkplugPayload): Uint8Array {
  const w = new Writer();
  w.uint(1, payload.timestampMs);
  for (const metric of payload.metrics) w.bytesField(2, encodeMetric(metric, payload.timestampMs));
  if (payload.seq !== undefined) w.uint(3, payload.seq);
  return w.finish();
}

/** A metric of an incoming command (NCMD/DCMD): its name and, when it has one, its boolean or number. */
export interface SparkplugCommandMetric {
  name: string | undefined;
  value: boolean | number | string | undefined;
}

/** Reads the metrics of an incoming payload (names and simple values; everything else skipped). Throws RangeError on malformed bytes. */
export function decodeSparkplugMetrics(bytes: Uint8Array): SparkplugCommandMetric[] {
  const metrics: SparkplugCommandMetric[] = [];
  walk(bytes, (field, wireType, reader) => {
    if (field === 2 && wireType === 2) {
      const metric: SparkplugCommandMetric = { name: undefined, value: undefined };
      walk(reader.lengthDelimited(), (mf, mw, mr) => {
        if (mf === 1 && mw === 2) metric.name = new TextDecoder().decode(mr.lengthDelimited());
        else if (mf === 14 && mw === 0) metric.value = mr.varint() !== 0;
        else if ((mf === 10 || mf === 11) && mw === 0) metric.value = mr.varint();
        else if (mf === 13 && mw === 1) metric.value = mr.double();
        else if (mf === 15 && mw === 2) metric.value = new TextDecoder().decode(mr.lengthDelimited());
        else mr.skip(mw);
      });
      metrics.push(metric);
    } else {
      reader.skip(wireType);
    }
  });
  return metrics;
}

class Reader {
  position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.position >= this.bytes.length;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.bytes[this.position];
      if (byte === undefined) throw new RangeError('truncated protobuf varint');
      this.position += 1;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
      if (scale > 2 ** 63) throw new RangeError('protobuf varint too long');
    }
  }

  double(): number {
    const end = this.position + 8;
    if (end > this.bytes.length) throw new RangeError('truncated protobuf double');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.position, 8);
    this.position = end;
    return view.getFloat64(0, true);
  }

  lengthDelimited(): Uint8Array {
    const length = this.varint();
    const end = this.position + length;
    if (end > this.bytes.length) throw new RangeError('truncated protobuf field');
    const slice = this.bytes.subarray(this.position, end);
    this.position = end;
    return slice;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.position += 8;
    else if (wireType === 2) this.lengthDelimited();
    else if (wireType === 5) this.position += 4;
    else throw new RangeError(`unsupported protobuf wire type ${wireType}`);
    if (this.position > this.bytes.length) throw new RangeError('truncated protobuf field');
  }
}

function walk(bytes: Uint8Array, onField: (field: number, wireType: number, reader: Reader) => void): void {
  const reader = new Reader(bytes);
  while (!reader.done) {
    const key = reader.varint();
    onField(Math.floor(key / 8), key % 8, reader);
  }
}
