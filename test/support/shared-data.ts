/**
 * Where the recordings live: examples/recordings in this repository (COMTRADE files copied from
 * their MIT-licensed sources, see examples/recordings/SOURCES.md); COMTRADE_DIR overrides.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const COMTRADE_DIR =
  process.env.COMTRADE_DIR !== undefined && process.env.COMTRADE_DIR !== ''
    ? process.env.COMTRADE_DIR
    : resolve(repoRoot, 'examples', 'recordings');
