/**
 * Eclipse Tahu's Sparkplug B payload library (npm sparkplug-payload, protobufjs over the official
 * sparkplug_b.proto): the independent decoder (and command encoder) of the Sparkplug tests.
 * CommonJS, loaded with require and given its own typings.
 */
import { createRequire } from 'node:module';
import type * as SparkplugB from 'sparkplug-payload/lib/sparkplugbpayload.js';

const require = createRequire(import.meta.url);
const loaded = require('sparkplug-payload') as { get(namespace: string): typeof SparkplugB | null };
const spB = loaded.get('spBv1.0');
if (spB === null) throw new Error('sparkplug-payload has no spBv1.0');

export const tahu: typeof SparkplugB = spB;
export type TahuPayload = ReturnType<typeof SparkplugB.decodePayload>;

/** A uint64 as Tahu decodes it (a Long, or a number) as a number. */
export function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'toNumber' in value && typeof value.toNumber === 'function') return Number(value.toNumber());
  throw new Error(`not a number: ${String(value)}`);
}
