/** `each` expansion of a register entry and `{name}` substitution in its strings. */
import type { RegisterEntry } from './map-schema.js';

export const TEMPLATE = /\{([A-Za-z0-9_.]+)\}/g;

export function substitute(text: string, vars: Readonly<Record<string, string | number>>): string {
  return text.replace(TEMPLATE, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}

/** Every combination of the `each` variables, last key fastest. */
export function combinations(each: RegisterEntry['each']): Array<Record<string, string | number>> {
  let result: Array<Record<string, string | number>> = [{}];
  if (each === undefined) return result;
  for (const [key, spec] of Object.entries(each)) {
    const values: Array<string | number> = [];
    if (Array.isArray(spec)) values.push(...spec);
    else for (let v = spec.from; v <= spec.to; v += 1) values.push(v);
    const next: Array<Record<string, string | number>> = [];
    for (const combo of result) for (const v of values) next.push({ ...combo, [key]: v });
    result = next;
  }
  return result;
}

/** How many registers `each` expands to (before expanding: a typo like to: 1e9 must not run). */
export function combinationCount(each: RegisterEntry['each']): number {
  if (each === undefined) return 1;
  let count = 1;
  for (const spec of Object.values(each)) count *= Array.isArray(spec) ? spec.length : Math.max(0, spec.to - spec.from + 1);
  return count;
}
