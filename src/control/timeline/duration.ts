/**
 * Durations as people write them in a timeline: "200ms", "30s", "1.5s", "5m" (or "5min"), "2h",
 * "1d", compounds like "1m30s" or "1h15m", or a bare number of seconds. Returns ms; throws
 * RangeError with the offending text.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)/y;

export function parseDuration(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`duration must be a non-negative number of seconds, got ${value}`);
    return value * 1000;
  }
  const text = value.trim();
  let total = 0;
  let parts = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (match === null) throw new RangeError(`"${value}" is not a duration (e.g. 200ms, 30s, 1m30s, 2h)`);
    total += Number(match[1]) * UNIT_MS[match[2]];
    parts += 1;
    while (text[PART.lastIndex] === ' ') PART.lastIndex += 1;
  }
  if (parts === 0) throw new RangeError(`"${value}" is not a duration (e.g. 200ms, 30s, 1m30s, 2h)`);
  return total;
}
