/**
 * Python peers for interop tests: Debian's python3 (it carries pymodbus 3 and pyserial; the
 * python3 on PATH may not) and the scripts in test/support/python/.
 */
import { join } from 'node:path';
import { runTool, toolAvailable } from './external-tool.js';

export const PYTHON3 = '/usr/bin/python3';

/** True when PYTHON3 exists and imports every module named. */
export async function pythonHas(...modules: string[]): Promise<boolean> {
  const probe = ['-c', `import ${modules.join(', ')}`];
  return toolAvailable(PYTHON3, probe) && (await runTool(PYTHON3, probe)).code === 0;
}

/** Path of a script in test/support/python/. */
export function pythonScript(name: string): string {
  return join(import.meta.dirname, 'python', name);
}
