/** "Did you mean" for unknown names in a map: the closest known name by edit distance, when close. */

/** Edits (insert, delete, substitute, swap two neighbours) from a to b: "cvs" is one edit from "csv". */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const up = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((up[j - 1] ?? 0) + cost, (up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/** ' (did you mean "x"?)' for the closest known name, when one is close. */
export function suggestion(name: string, known: Iterable<string>): string {
  let best: string | undefined;
  // Close means a typo: one edit in a short name, a third of the letters in a longer one.
  let bestDistance = (name.length <= 4 ? 1 : Math.max(2, Math.floor(name.length / 3))) + 1;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** Names listed in full up to this many; a longer list is cut (a map has hundreds of quantities). */
const LISTED = 12;

/**
 * `unknown profile "sdm360" (did you mean "sdm630"? profiles: em24, sdm630, sunspec, titan)`:
 * the one wording of an unknown name, with the closest known one and the list.
 */
export function unknownName(what: string, name: string, known: readonly string[], listLabel = `${what}s`): string {
  const hint = suggestion(name, known);
  const shown = known.length > LISTED ? `${known.slice(0, LISTED).join(', ')}, ... (${known.length} in all)` : known.join(', ');
  const list = `${listLabel}: ${shown}`;
  return hint === '' ? `unknown ${what} "${name}" (${list})` : `unknown ${what} "${name}" (${hint.slice(2, -1)} ${list})`;
}
