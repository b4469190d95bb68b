/**
 * Durations as people write them in a timeline: "200ms", "30s", "1.5s", "5m", "2h", "1d", or a
 * bare number of seconds. Returns ms; throws RangeError with the offending text.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`duration must be a non-negative number of seconds, got ${value}`);
    return value * 1000;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)\s*$/.exec(value);
  if (match === null) throw new RangeError(`"${value}" is not a duration (e.g. 200ms, 30s, 5m, 2h)`);
  return Number(match[1]) * UNIT_MS[match[2]];
}
