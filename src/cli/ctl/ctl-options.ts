/** The option parsers of `submeter ctl` and the mapping of given options to API field names. */
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../../control/timeline/duration.js';

export function num(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number`);
  return n;
}

/** A duration in ms: "300ms", "1m", or a bare number of ms. */
export function ms(value: string): number {
  try {
    return parseDuration(/^\d+(\.\d+)?$/.test(value) ? `${value}ms` : value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export function list(value: string): number[] {
  return value.split(',').map((v) => num(v));
}

/** ORDER:RATIO, repeatable: each one is added to the previous ones. */
export function harmonic(value: string, previous: { order: number; ratio: number }[] = []): { order: number; ratio: number }[] {
  const match = /^(\d+):(\d+(?:\.\d+)?)$/.exec(value);
  if (match === null) throw new InvalidArgumentError(`"${value}" is not ORDER:RATIO (e.g. 5:0.3)`);
  return [...previous, { order: Number(match[1]), ratio: Number(match[2]) }];
}

/** The options that were given, under the API's field names: `[optionName, fieldName]` pairs. */
export function renamed(options: Record<string, unknown>, fields: [string, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of fields) if (options[from] !== undefined) out[to] = options[from];
  return out;
}
