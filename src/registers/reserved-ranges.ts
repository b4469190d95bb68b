/**
 * The `reserved` section of a register map: address ranges of the real meter's reserved gaps,
 * whose unmapped addresses read as zeros (so block reads across them work, as on the meter),
 * while reads elsewhere outside the map still answer exception 02.
 */
import type { MapProblems } from './map-problems.js';
import type { RegisterMapFile } from './map-schema.js';
import type { ReservedRange } from './register-map.js';

/** The map's reserved ranges, checked (from <= to); problems are added to `problems`. */
export function reservedRanges(map: RegisterMapFile, problems: MapProblems): ReservedRange[] {
  const ranges: ReservedRange[] = [];
  (map.reserved ?? []).forEach((range, i) => {
    if (range.to < range.from) {
      problems.at(['reserved', i, 'to'], `to ${range.to} is below from ${range.from}`);
      return;
    }
    ranges.push({ space: range.space, from: range.from, to: range.to, description: range.description ?? '' });
  });
  return ranges;
}
