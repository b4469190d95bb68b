/**
 * One meter state directory, one server: a lock file `meter-state.lock` created with O_EXCL
 * (`open(..., 'wx')`, atomic on local file systems and NFSv3+) holding the owner's PID, the
 * process's start time (field 22 of /proc/PID/stat, in clock ticks since boot), its PID namespace
 * and host name. The owner touches it after every save (a heartbeat: every 500 ms under `serve`).
 *
 * Why a lock file and not flock: Node has no flock/fcntl lock. The kernel does not remove the file
 * when the owner dies, so a SIGKILLed owner is recognised by a liveness check instead:
 * - same host and PID namespace: `process.kill(pid, 0)` (ESRCH = gone) and, where /proc exists, the
 *   start time (a PID reused by a later process, e.g. PID 1 in a restarted container, has another
 *   start time): exact, so a restart right after a SIGKILL takes the lock at once;
 * - another host or PID namespace (a recreated container, two containers sharing a volume): the
 *   PID means nothing here, so the heartbeat decides: a lock untouched for HEARTBEAT_STALE_MS is
 *   stale.
 * A stale lock is taken over by renaming it aside (only one contender's rename succeeds) and
 * creating a new one. Within one process, two meters may not share a directory either.
 */
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'meter-state.lock';

/** A lock file younger than this without an owner written in it is being created right now. */
const UNWRITTEN_LOCK_GRACE_MS = 5000;
/** A lock whose owner cannot be checked is stale when its heartbeat is older than this. */
export const HEARTBEAT_STALE_MS = 15_000;

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
  /** The PID namespace (`pid:[4026531836]`), when /proc tells it. */
  pidNamespace?: string;
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

function pidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
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
      ...(typeof value.pidNamespace === 'string' ? { pidNamespace: value.pidNamespace } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Can this process check the owner's PID (same host, same PID namespace)? */
function pidCheckable(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  const ours = pidNamespace();
  return owner.pidNamespace === undefined || ours === undefined || owner.pidNamespace === ours;
}

function isAlive(owner: LockOwner, heartbeatAgeMs: number): boolean {
  if (!pidCheckable(owner)) return heartbeatAgeMs < HEARTBEAT_STALE_MS;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (owner.pid === process.pid) return false; // not held here (checked before), so an earlier process with our PID
  const ticks = processStartTicks(owner.pid);
  return owner.startTicks === undefined || ticks === undefined || ticks === owner.startTicks;
}

function ownerText(owner: LockOwner): string {
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
    const ticks = processStartTicks(process.pid);
    const namespace = pidNamespace();
    const owner: LockOwner = {
      pid: process.pid,
      host: hostname(),
      sinceMs: Date.now(),
      ...(ticks === undefined ? {} : { startTicks: ticks }),
      ...(namespace === undefined ? {} : { pidNamespace: namespace }),
    };
    const content = JSON.stringify(owner) + '\n';
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
    let ageMs: number;
    try {
      ageMs = Date.now() - statSync(path).mtimeMs;
    } catch {
      return; // released meanwhile
    }
    if (owner === undefined) {
      if (ageMs < UNWRITTEN_LOCK_GRACE_MS) throw new StateDirectoryLockedError(`state directory ${directory} is being locked by another process right now`);
    } else if (isAlive(owner, ageMs)) {
      const remedy = pidCheckable(owner)
        ? 'stop that server or use another --state directory'
        : `its lock was refreshed ${Math.max(0, Math.round(ageMs / 1000))} s ago; if that server is gone, it is taken over ${HEARTBEAT_STALE_MS / 1000} s after its last refresh (or delete ${path})`;
      throw new StateDirectoryLockedError(`state directory ${directory} is in use by another submeter (${ownerText(owner)}): ${remedy}`);
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
    onTakeover(`took over the stale lock ${path} of ${owner === undefined ? 'an unwritten lock' : `${ownerText(owner)}, no longer running`}`);
  }

  /** The heartbeat: marks the lock as held right now (after every save). Never throws. */
  touch(): void {
    if (this.released) return;
    const now = new Date();
    try {
      utimesSync(this.path, now, now);
    } catch {
      // a read-only directory: the saves fail too, and say so
    }
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
