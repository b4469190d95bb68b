/** Temporary directories for one test file, removed after each test; a logger that keeps its warnings. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Returns a maker of fresh directories named `prefix...`; every one is removed after each test. */
export function scratchDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** A meter logger that keeps what it was told. */
export function collectingLogger(): { warn(m: string): void; messages: string[] } {
  const messages: string[] = [];
  return { messages, warn: (m: string) => messages.push(m) };
}
