import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, unlinkSync } from 'node:fs';

/** Two ptys joined by socat: what one writes the other reads, like a null-modem cable. */
export interface VirtualSerialPair {
  /** The paths to open: the links if given, else the /dev/pts paths. */
  readonly pathA: string;
  readonly pathB: string;
  /** The /dev/pts devices socat created. */
  readonly ptyA: string;
  readonly ptyB: string;
  readonly socatPid: number;
  /** Resolves when socat has exited (for whatever reason). */
  readonly exited: Promise<number | null>;
  /** Stops socat (SIGTERM) and removes the links; idempotent. */
  close(): Promise<void>;
}

export interface VirtualSerialPairOptions {
  /** Symlink to create for the first pty (socat's link= option), e.g. /tmp/meter. */
  linkA?: string | undefined;
  linkB?: string | undefined;
  /** socat executable (default: `socat` on PATH). */
  socat?: string | undefined;
  /** Give up if socat has not reported both ptys within this time (default 10 s). */
  timeoutMs?: number | undefined;
}

/** The error when socat is not installed; names the Debian package. */
export class SocatMissingError extends Error {
  constructor(executable: string) {
    super(`${executable} was not found: virtual serial pairs need socat (Debian/Ubuntu: apt-get install socat)`);
    this.name = 'SocatMissingError';
  }
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A process that exits without closing its pairs must not leave socat behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGTERM');
  });
}

function ptyAddress(link: string | undefined): string {
  if (link !== undefined && /[,!:]/.test(link)) throw new RangeError(`link path "${link}" must not contain , ! or : (socat address syntax)`);
  return link === undefined ? 'pty,raw,echo=0' : `pty,raw,echo=0,link=${link}`;
}

function removeLink(link: string | undefined): void {
  if (link === undefined) return;
  try {
    if (lstatSync(link).isSymbolicLink()) unlinkSync(link);
  } catch {
    // already gone
  }
}

/**
 * Starts `socat -d -d pty,raw,echo=0[,link=A] pty,raw,echo=0[,link=B]` and resolves once socat has
 * printed both pty paths and "starting data transfer loop" (it is then ready to carry bytes; no
 * sleeping). Rejects with SocatMissingError when socat is absent, or with socat's own messages.
 */
export function openVirtualSerialPair(options: VirtualSerialPairOptions = {}): Promise<VirtualSerialPair> {
  const executable = options.socat ?? 'socat';
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise<VirtualSerialPair>((resolve, reject) => {
    // a bad link path throws here, inside the executor: the promise rejects
    const args = ['-d', '-d', ptyAddress(options.linkA), ptyAddress(options.linkB)];
    // Own process group: a Ctrl-C in the terminal reaches us, and we stop socat in order.
    const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    installExitHook();
    live.add(child);
    const ptys: string[] = [];
    let stderrText = '';
    let settled = false;
    const exited = new Promise<number | null>((resolveExit) => {
      child.once('exit', (code) => {
        live.delete(child);
        removeLink(options.linkA);
        removeLink(options.linkB);
        resolveExit(code);
      });
    });
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`socat did not report two ptys within ${timeoutMs} ms: ${stderrText.trim()}`)), timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      live.delete(child);
      fail(error.code === 'ENOENT' ? new SocatMissingError(executable) : error);
    });
    child.once('exit', (code, signal) => {
      fail(new Error(`socat exited (${code ?? signal}) before the pair was ready: ${stderrText.trim()}`));
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      if (settled) return;
      stderrText += text;
      for (const match of text.matchAll(/PTY is (\S+)/g)) ptys.push(match[1]);
      if (ptys.length >= 2 && /starting data transfer loop/.test(stderrText)) {
        settled = true;
        clearTimeout(timer);
        // keep draining stderr so socat never blocks on a full pipe
        child.stderr?.resume();
        const [ptyA, ptyB] = ptys;
        let closing: Promise<void> | undefined;
        resolve({
          pathA: options.linkA ?? ptyA,
          pathB: options.linkB ?? ptyB,
          ptyA,
          ptyB,
          socatPid: child.pid ?? -1,
          exited,
          close: () => {
            closing ??= (async () => {
              if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
              await exited;
            })();
            return closing;
          },
        });
      }
    });
  });
}
