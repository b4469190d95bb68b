/** Commander argument parsers that refuse bad values with a message naming what was expected. */
import { InvalidArgumentError } from 'commander';

export function integerIn(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected an integer between ${min} and ${max}, got ${JSON.stringify(text)}`);
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
    if (found === undefined) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got ${JSON.stringify(text)}`);
    return found;
  };
}

export function hostPort(text: string): string {
  if (!/^(?:(\[[0-9a-fA-F:.]+\]|[^\s:]*):)?\d{1,5}$/.test(text)) throw new InvalidArgumentError(`expected HOST:PORT, e.g. 127.0.0.1:1502, got ${JSON.stringify(text)}`);
  return text;
}
