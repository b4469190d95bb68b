/** Commander argument parsers that refuse bad values with a message naming what was expected. */
import { InvalidArgumentError } from 'commander';
import { suggestion } from '../common/name-suggestion.js';

export function integerIn(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected an integer in ${min}..${max}, got ${JSON.stringify(text)}`);
    }
    return value;
  };
}

export function positiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`expected a positive number, got ${JSON.stringify(text)}`);
  return value;
}

export function nonNegativeNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`expected a number >= 0, got ${JSON.stringify(text)}`);
  return value;
}

export function oneOf<T extends string>(choices: readonly T[]) {
  return (text: string): T => {
    const found = choices.find((c) => c === text);
    if (found === undefined) {
      const hint = suggestion(text, choices);
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}${hint}`);
    }
    return found;
  };
}

export function hostPort(text: string): string {
  const port = /^(?:(\[[0-9a-fA-F:.]+\]|[^\s:]*):)?(\d{1,5})$/.exec(text)?.[2];
  if (port === undefined) throw new InvalidArgumentError('expected HOST:PORT, e.g. 127.0.0.1:1502');
  if (Number(port) > 65_535) throw new InvalidArgumentError(`port ${port} is outside 0..65535`);
  return text;
}

/** "1", "1,2,3" or "1-4" (ranges and lists mix: "1-3,7"); each id 0..255, none twice. */
export function parseUnitIds(text: string): number[] {
  const units: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (range === null) throw new InvalidArgumentError(`${JSON.stringify(part)} is not a unit id or a range like 1-4`);
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (first > last || last > 255) throw new InvalidArgumentError(`${JSON.stringify(part)} is outside 0..255`);
    for (let unit = first; unit <= last; unit += 1) {
      if (units.includes(unit)) throw new InvalidArgumentError(`unit id ${unit} is given twice`);
      units.push(unit);
    }
  }
  return units;
}

export function stopBits(text: string): 1 | 2 {
  if (text === '1') return 1;
  if (text === '2') return 2;
  throw new InvalidArgumentError(`expected 1 or 2, got ${JSON.stringify(text)}`);
}

/** A repeatable `--option key=value` (profile options): numbers become numbers. */
export function profileOption(text: string, previous: Readonly<Record<string, string | number>> = {}): Record<string, string | number> {
  const match = /^([A-Za-z0-9_-]+)=(.+)$/.exec(text);
  if (match === null) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(text)}`);
  const [, key = '', raw = ''] = match;
  const value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  return { ...previous, [key]: value };
}
