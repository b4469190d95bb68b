import { describe, expect, it } from 'vitest';
import { decodeSparkplugMetrics, encodeSparkplugPayload } from '../../../src/mqtt/sparkplug/sparkplug-payload.js';
import { parseSparkplugIds } from '../../../src/mqtt/sparkplug/sparkplug-edge-node.js';
import { asNumber, tahu } from '../../support/sparkplug-tahu.js';

describe('Sparkplug B payload codec (checked with Eclipse Tahu)', () => {
  it('encodes what Tahu decodes: timestamp, seq, names, aliases, Double / UInt64 / Boolean / String, a non-finite Double as null', () => {
    const bytes = encodeSparkplugPayload({
      timestampMs: 1_780_308_000_123,
      seq: 255,
      metrics: [
        { name: 'voltage.l1', alias: 1, value: { type: 'Double', value: 230.0987654321 } },
        { alias: 300, value: { type: 'Double', value: -0.5 } },
        { name: 'bdSeq', value: { type: 'UInt64', value: 2 ** 40 + 3 } },
        { name: 'Node Control/Rebirth', value: { type: 'Boolean', value: true } },
        { name: 'Properties/Model', value: { type: 'String', value: 'SM-3P4Q µ' } },
        { name: 'frequency', value: { type: 'Double', value: Number.NaN } },
      ],
    });
    const decoded = tahu.decodePayload(bytes);
    expect(asNumber(decoded.timestamp)).toBe(1_780_308_000_123);
    expect(asNumber(decoded.seq)).toBe(255);
    const metrics = decoded.metrics ?? [];
    expect(metrics[0]).toMatchObject({ name: 'voltage.l1', type: 'Double', value: 230.0987654321 });
    expect(asNumber(metrics[0]?.alias)).toBe(1);
    expect(asNumber(metrics[1]?.alias)).toBe(300);
    expect(metrics[1]?.value).toBe(-0.5);
    expect(asNumber(metrics[1]?.timestamp)).toBe(1_780_308_000_123);
    expect(metrics[2]).toMatchObject({ name: 'bdSeq', type: 'UInt64' });
    expect(asNumber(metrics[2]?.value)).toBe(2 ** 40 + 3);
    expect(metrics[3]).toMatchObject({ type: 'Boolean', value: true });
    expect(metrics[4]).toMatchObject({ type: 'String', value: 'SM-3P4Q µ' });
    expect(metrics[5]).toMatchObject({ name: 'frequency', type: 'Double', value: null }); // is_null, as Tahu reports it
  });

  it('reads the commands Tahu encodes, and refuses truncated bytes', () => {
    const bytes = tahu.encodePayload({ timestamp: 5, metrics: [{ name: 'relay.closed', type: 'Boolean', value: false }, { name: 'x', type: 'Double', value: 1.5 }, { name: 'n', type: 'UInt32', value: 7 }] });
    expect(decodeSparkplugMetrics(bytes)).toEqual([
      { name: 'relay.closed', value: false },
      { name: 'x', value: 1.5 },
      { name: 'n', value: 7 },
    ]);
    expect(() => decodeSparkplugMetrics(bytes.subarray(0, bytes.length - 3))).toThrow(RangeError);
  });

  it('parses GROUP/EDGE-NODE', () => {
    expect(parseSparkplugIds('Plant/line-2')).toEqual({ groupId: 'Plant', edgeNodeId: 'line-2' });
    for (const bad of ['Plant', 'a/b/c', '/x', 'a/#']) expect(() => parseSparkplugIds(bad), bad).toThrow(RangeError);
  });
});
