/**
 * "Nothing created on a failed start": the directories a start would create (state directories
 * that do not exist yet), found before it begins, so a start that fails can remove exactly them
 * and nothing that was there before.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** For each path, its outermost ancestor (or itself) that does not exist yet; none when it exists. */
export function missingRoots(paths: readonly string[]): string[] {
  const roots = new Set<string>();
  for (const path of paths) {
    let missing: string | undefined;
    for (let current = resolve(path); !existsSync(current); current = dirname(current)) {
      missing = current;
      if (dirname(current) === current) break;
    }
    if (missing !== undefined) roots.add(missing);
  }
  return [...roots];
}

/** Removes what `missingRoots` found (after a failed start); errors are ignored: it is a clean-up. */
export function removeCreated(roots: readonly string[]): void {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
}
