/**
 * The repository stands alone: no tracked file names a path outside it (the sibling folder the
 * project was developed beside, or an absolute path of one machine). A user who clones it has
 * nothing else.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Absolute paths of one machine (built from parts so that this file does not match itself). */
const outsidePaths = [
  new RegExp(['', 'work', ''].join('/')),
  new RegExp(['', 'home', '[a-z]'].join('/')),
  new RegExp(['', 'root', ''].join('/')),
];

/** A relative path up into a folder named shared, resolved from the file that names it: it must stay inside and exist. */
const relativeShared = /((?:\.\.\/)+)shared\b/g;

function leavesRepository(file: string, line: string): boolean {
  for (const match of line.matchAll(relativeShared)) {
    const target = resolve(repoRoot, dirname(file), match[1] ?? '', 'shared');
    if (!target.startsWith(repoRoot + sep) || !existsSync(target)) return true;
  }
  return outsidePaths.some((pattern) => pattern.test(line));
}

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' });
  return listed
    .split('\0')
    .filter((path) => path !== '' && path !== 'package-lock.json' && !path.startsWith('examples/recordings/'));
}

describe('repository stands alone', () => {
  it('no tracked file names a path outside the repository', () => {
    const files = trackedTextFiles();
    expect(files.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const path of files) {
      let text: string;
      try {
        text = readFileSync(resolve(repoRoot, path), 'utf8');
      } catch {
        continue; // listed but deleted in the working tree
      }
      text.split('\n').forEach((line, index) => {
        if (leavesRepository(path, line)) offenders.push(`${path}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the recordings the tests use ship in the repository with their licence', () => {
    const sources = readFileSync(resolve(repoRoot, 'examples', 'recordings', 'SOURCES.md'), 'utf8');
    expect(sources).toMatch(/MIT License/);
    expect(sources).toMatch(/wisp-4/);
  });
});
