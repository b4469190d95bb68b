/** "Did you mean" for unknown names in a map: the closest known name by edit distance, when close. */

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** ' (did you mean "x"?)' for the closest known name, when one is close. */
export function suggestion(name: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(name.length / 4)) + 1;
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
