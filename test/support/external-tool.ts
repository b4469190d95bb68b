import { execFile, spawnSync } from 'node:child_process';

/** True when `command` can be run (found on PATH, or an absolute path that exists). */
export function toolAvailable(command: string, probeArgs: string[] = ['--version']): boolean {
  const probe = spawnSync(command, probeArgs, { stdio: 'ignore' });
  return probe.error === undefined;
}

/**
 * Interop tests needing a Debian tool skip outside CI when it is missing, but must FAIL in CI:
 * returns true when the suite should be skipped.
 */
export function skipWithoutTool(available: boolean): boolean {
  return !available && process.env.CI === undefined;
}

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (never throws on a non-zero exit; ENOENT rejects). */
export function runTool(command: string, args: string[], timeoutMs = 20_000): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code === 'string') {
        reject(error);
        return;
      }
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}
