/**
 * A whole MQTT PUBLISH packet at QoS 0, encoded here and written to the connection as is: no
 * packet identifier and no state to keep, so the client's per-publish machinery (an options
 * object merged with defaults, a packet object, a dozen debug calls, a write per field) is not
 * needed for the fleet's telemetry, a thousand messages a second. MQTT 3.1.1 and 5 (5 adds an
 * empty property list). QoS 1 and 2 go through the client, which numbers and acknowledges them.
 */

/** Bytes of a Variable Byte Integer (the Remaining Length): 1 to 4. */
function varIntLength(value: number): number {
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  if (value < 268_435_456) return 4;
  throw new RangeError(`an MQTT packet holds at most 268,435,455 bytes after its header, got ${value}`);
}

/**
 * The packet of `payload` on `topic`: fixed header (PUBLISH, QoS 0, the retain flag), Remaining
 * Length, the topic (UTF-8), the properties (MQTT 5: none), the payload, written as UTF-8, or as
 * latin1 (one byte per character, no scan for its length) when the caller knows it is ASCII. A
 * fresh buffer: the socket holds it until it is flushed.
 */
export function qos0PublishPacket(topic: string, payload: string, retain: boolean, mqtt5: boolean, payloadEncoding: 'utf8' | 'latin1' = 'utf8'): Buffer {
  const topicBytes = Buffer.byteLength(topic);
  if (topicBytes === 0 || topicBytes > 65_535) throw new RangeError(`an MQTT topic is 1..65535 bytes, got ${topicBytes}`);
  const payloadBytes = payloadEncoding === 'latin1' ? payload.length : Buffer.byteLength(payload);
  const remaining = 2 + topicBytes + (mqtt5 ? 1 : 0) + payloadBytes;
  const packet = Buffer.allocUnsafe(1 + varIntLength(remaining) + remaining);
  let at = 0;
  packet[at++] = retain ? 0x31 : 0x30;
  for (let rest = remaining; ; ) {
    const byte = rest % 128;
    rest = Math.floor(rest / 128);
    packet[at++] = rest > 0 ? byte | 0x80 : byte;
    if (rest === 0) break;
  }
  packet[at++] = topicBytes >> 8;
  packet[at++] = topicBytes & 0xff;
  at += packet.write(topic, at, 'utf8');
  if (mqtt5) packet[at++] = 0; // property length: no properties
  packet.write(payload, at, payloadEncoding);
  return packet;
}
