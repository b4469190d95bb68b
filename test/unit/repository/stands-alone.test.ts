/**
 * The repository stands alone: no tracked file names a path outside it (the sibling folder the
 * project was developed beside, or an absolute path of one machine). A user who clones it has
 * nothing else.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Built from parts so that this file does not match itself. */
const outsidePaths = [
  new RegExp(['\\.\\.', 'shared'].join('/')),
  new RegExp(['', 'work', ''].join('/')),
  new RegExp(['', 'home', '[a-z]'].join('/')),
  new RegExp(['', 'root', ''].join('/')),
];

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
        if (outsidePaths.some((pattern) => pattern.test(line))) offenders.push(`${path}:${index + 1}: ${line.trim()}`);
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
