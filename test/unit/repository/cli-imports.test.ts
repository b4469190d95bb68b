/**
 * The command line sits on top: nothing under src/ but src/cli imports src/cli (the runtime and
 * every layer below it are libraries, with typed errors and no exit codes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => resolve(dirname(file), m[1] ?? ''));
}

describe('import direction', () => {
  it('nothing under src/ outside src/cli imports src/cli', () => {
    const cli = join(SRC, 'cli');
    const offending = sourceFiles(SRC)
      .filter((file) => !file.startsWith(cli + '/'))
      .flatMap((file) => importsOf(file).filter((target) => target.startsWith(cli + '/')).map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`));
    expect(offending).toEqual([]);
    // The check sees imports at all: src/cli/main.ts imports the commands.
    expect(importsOf(join(cli, 'main.ts')).some((target) => target.startsWith(cli + '/'))).toBe(true);
  });
});
