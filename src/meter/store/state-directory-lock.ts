/**
 * One meter state directory, one server: a lock file `meter-state.lock` created with O_EXCL
 * (`open(..., 'wx')`, atomic on local file systems and NFSv3+) holding the owner's PID, the
 * process's start time (field 22 of /proc/PID/stat, in clock ticks since boot) and host name.
 *
 * Why a lock file and not flock: Node has no flock/fcntl lock. The kernel does not remove the file
 * when the owner dies, so a SIGKILLed owner is recognised by a liveness check instead:
 * `process.kill(pid, 0)` (ESRCH = gone) and, where /proc exists, the start time (a PID reused by a
 * later process, e.g. PID 1 in a restarted container, has another start time). A stale lock is taken
 * over by renaming it aside (only one contender's rename succeeds) and creating a new one.
 * A lock written on another host cannot be checked: it is respected, and the message says how to
 * remove it. Within one process, two meters may not share a directory either.
 */
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'meter-state.lock';

/** A lock file younger than this without an owner written in it is being created right now. */
const UNWRITTEN_LOCK_GRACE_MS = 5000;

/** Another live server (or another meter of this one) uses the directory. */
export class StateDirectoryLockedError extends Error {
  override readonly name = 'StateDirectoryLockedError';
}

/** The directory cannot be written (permissions, read-only file system, disk full). */
export class StateDirectoryNotWritableError extends Error {
  override readonly name = 'StateDirectoryNotWritableError';
}

interface LockOwner {
  pid: number;
  /** Start time of the process in clock ticks since boot, when /proc tells it. */
  startTicks?: string;
  host: string;
  sinceMs: number;
}

/** Directories locked by this process (real paths). */
const heldHere = new Set<string>();

function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19]; // field 22 overall
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0 || typeof value.host !== 'string') return undefined;
    return {
      pid: value.pid,
      host: value.host,
      sinceMs: typeof value.sinceMs === 'number' ? value.sinceMs : 0,
      ...(typeof value.startTicks === 'string' ? { startTicks: value.startTicks } : {}),
    };
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // cannot tell: respect it
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (owner.pid === process.pid) return false; // not held here (checked before), so an earlier process with our PID
  const ticks = processStartTicks(owner.pid);
  return owner.startTicks === undefined || ticks === undefined || ticks === owner.startTicks;
}

function describe(owner: LockOwner): string {
  const since = owner.sinceMs > 0 ? ` since ${new Date(owner.sinceMs).toISOString()}` : '';
  return `pid ${owner.pid} on ${owner.host}${since}`;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function notWritable(directory: string, error: unknown): StateDirectoryNotWritableError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new StateDirectoryNotWritableError(`state directory ${directory} is not writable (${code})`);
}

export class StateDirectoryLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly key: string,
    private readonly content: string,
  ) {}

  /**
   * Takes the directory's lock, or throws StateDirectoryLockedError (a live owner) or
   * StateDirectoryNotWritableError. `onTakeover` hears about a stale lock taken over.
   */
  static acquire(directory: string, onTakeover: (message: string) => void = () => undefined): StateDirectoryLock {
    const path = join(directory, LOCK_FILE);
    let key: string;
    try {
      key = realpathSync(directory);
    } catch (error) {
      throw notWritable(directory, error);
    }
    if (heldHere.has(key)) throw new StateDirectoryLockedError(`state directory ${directory} is already used by another meter of this server`);
    const owner: LockOwner = { pid: process.pid, host: hostname(), sinceMs: Date.now() };
    const ticks = processStartTicks(process.pid);
    const content = JSON.stringify(ticks === undefined ? owner : { ...owner, startTicks: ticks }) + '\n';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      let fd: number;
      try {
        fd = openSync(path, 'wx', 0o644);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw notWritable(directory, error);
        StateDirectoryLock.takeOverIfStale(directory, path, onTakeover);
        continue;
      }
      try {
        const bytes = Buffer.from(content, 'utf8');
        let offset = 0;
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
        fsyncSync(fd);
      } catch (error) {
        closeSync(fd);
        unlinkSync(path);
        throw notWritable(directory, error);
      }
      closeSync(fd);
      heldHere.add(key);
      return new StateDirectoryLock(path, key, content);
    }
    throw new StateDirectoryLockedError(`state directory ${directory}: could not take ${LOCK_FILE} (other processes keep taking it)`);
  }

  /** Throws when a live owner holds the lock; removes a stale one. */
  private static takeOverIfStale(directory: string, path: string, onTakeover: (message: string) => void): void {
    const text = readText(path);
    if (text === undefined) return; // released meanwhile
    const owner = parseOwner(text);
    if (owner === undefined) {
      let ageMs = 0;
      try {
        ageMs = Date.now() - statSync(path).mtimeMs;
      } catch {
        return;
      }
      if (ageMs < UNWRITTEN_LOCK_GRACE_MS) throw new StateDirectoryLockedError(`state directory ${directory} is being locked by another process right now`);
    } else if (isAlive(owner)) {
      const remedy = owner.host === hostname() ? 'stop that server or use another --state directory' : `if that server is gone, delete ${path}`;
      throw new StateDirectoryLockedError(`state directory ${directory} is in use by another submeter (${describe(owner)}): ${remedy}`);
    }
    // Stale: move it aside; if what was moved is not what we judged (someone replaced it), put it back.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw notWritable(directory, error);
    }
    const moved = readText(aside);
    if (moved !== text) {
      try {
        linkSync(aside, path);
      } catch {
        // someone created a new lock meanwhile: theirs stands
      }
      unlinkSync(aside);
      return;
    }
    unlinkSync(aside);
    onTakeover(`took over the stale lock ${path} of ${owner === undefined ? 'an unwritten lock' : `${describe(owner)}, no longer running`}`);
  }

  /** Removes the lock file (when it is still ours). Idempotent; never throws. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.key);
    try {
      if (readFileSync(this.path, 'utf8') === this.content) unlinkSync(this.path);
    } catch {
      // a read-only or vanished directory: a stale lock is recognised by its dead owner
    }
  }
}
