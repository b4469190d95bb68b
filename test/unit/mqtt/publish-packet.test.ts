import { describe, expect, it } from 'vitest';
import { qos0PublishPacket } from '../../../src/mqtt/publish-packet.js';

/** Reads a PUBLISH packet back, field by field (MQTT 3.1.1 section 3.3, MQTT 5 section 3.3). */
function parsePublish(packet: Buffer, mqtt5: boolean): { type: number; flags: number; remaining: number; topic: string; propertyLength?: number; payload: string } {
  const first = packet[0] ?? 0;
  let remaining = 0;
  let multiplier = 1;
  let at = 1;
  for (;;) {
    const byte = packet[at++] ?? 0;
    remaining += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if ((byte & 0x80) === 0) break;
  }
  expect(packet.length - at).toBe(remaining);
  const topicLength = packet.readUInt16BE(at);
  at += 2;
  const topic = packet.toString('utf8', at, at + topicLength);
  at += topicLength;
  const propertyLength = mqtt5 ? packet[at++] : undefined;
  return { type: first >> 4, flags: first & 0x0f, remaining, topic, ...(propertyLength === undefined ? {} : { propertyLength }), payload: packet.toString('utf8', at) };
}

describe('qos0PublishPacket', () => {
  it('encodes PUBLISH at QoS 0 for MQTT 5 (an empty property list) and 3.1.1 (none), retain as asked', () => {
    const five = qos0PublishPacket('p/m1/state', '{"a":1}', false, true);
    expect([...five]).toEqual([0x30, 2 + 10 + 1 + 7, 0, 10, ...Buffer.from('p/m1/state'), 0, ...Buffer.from('{"a":1}')]);
    const four = parsePublish(qos0PublishPacket('p/m1/state', '{"a":1}', true, false), false);
    expect(four).toEqual({ type: 3, flags: 0b0001, remaining: 2 + 10 + 7, topic: 'p/m1/state', payload: '{"a":1}' });
  });

  it('writes the Remaining Length in as many bytes as it needs (127 | 128, 16383 | 16384) and UTF-8 topics by their byte length', () => {
    for (const size of [127 - 2 - 1 - 1, 128 - 2 - 1 - 1, 16_383 - 2 - 1 - 1, 16_384 - 2 - 1 - 1, 3000]) {
      const payload = 'x'.repeat(size);
      const packet = qos0PublishPacket('t', payload, false, true);
      const parsed = parsePublish(packet, true);
      expect(parsed).toEqual({ type: 3, flags: 0, remaining: size + 4, topic: 't', propertyLength: 0, payload });
      expect(packet.length).toBe(1 + (size + 4 < 128 ? 1 : size + 4 < 16_384 ? 2 : 3) + size + 4);
    }
    expect(parsePublish(qos0PublishPacket('zähler/ü/state', 'é', false, true), true)).toMatchObject({ topic: 'zähler/ü/state', payload: 'é', remaining: 2 + 16 + 1 + 2 });
  });

  it('writes an ASCII payload as latin1 to the same bytes as UTF-8', () => {
    const payload = '{"voltage.l1":229.87654321012345,"frequency":null}';
    expect(qos0PublishPacket('p/m/state', payload, true, true, 'latin1').equals(qos0PublishPacket('p/m/state', payload, true, true))).toBe(true);
  });

  it('refuses an empty topic', () => {
    expect(() => qos0PublishPacket('', 'x', false, true)).toThrow(RangeError);
  });
});
