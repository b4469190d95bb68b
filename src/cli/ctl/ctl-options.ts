/** The option parsers of `submeter ctl` and the options that become fields of a request body. */
import { InvalidArgumentError, Option, type Command } from 'commander';
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

export interface Harmonic {
  order: number;
  ratio: number;
}

const isHarmonicList = (value: unknown): value is Harmonic[] => Array.isArray(value);

/** ORDER:RATIO, repeatable: each one is added to the previous ones. */
export function harmonic(value: string, previous: unknown): Harmonic[] {
  const match = /^(\d+):(\d+(?:\.\d+)?)$/.exec(value);
  if (match === null) throw new InvalidArgumentError(`"${value}" is not ORDER:RATIO (e.g. 5:0.3)`);
  return [...(isHarmonicList(previous) ? previous : []), { order: Number(match[1]), ratio: Number(match[2]) }];
}

/** An option whose value, when given, goes into the request body under `field`. */
export interface FieldOption {
  flags: string;
  description: string;
  parse?: (value: string, previous: unknown) => unknown;
  field: string;
}

/** Declare the options on the command, in order. */
export function addFieldOptions(command: Command, options: readonly FieldOption[]): Command {
  for (const o of options) command.addOption(o.parse === undefined ? new Option(o.flags, o.description) : new Option(o.flags, o.description).argParser(o.parse));
  return command;
}

/** The options that were given, under their fields. */
export function givenFields(values: Record<string, unknown>, options: readonly FieldOption[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of options) {
    const value = values[new Option(o.flags).attributeName()];
    if (value !== undefined) out[o.field] = value;
  }
  return out;
}
