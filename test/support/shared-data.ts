/**
 * Where the shared recordings live: ../shared/data/comtrade beside the repository (as in CI's
 * fresh clone and in a developer's checkout); COMTRADE_DIR overrides.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function findComtradeDir(): string {
  const fromEnv = process.env.COMTRADE_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const candidates = [resolve(repoRoot, '..', 'shared', 'data', 'comtrade'), '/work/shared/data/comtrade'];
  const found = candidates.find((dir) => existsSync(dir));
  if (found === undefined) throw new Error(`shared recordings not found (looked in ${candidates.join(', ')}); set COMTRADE_DIR`);
  return found;
}

export const COMTRADE_DIR = findComtradeDir();
