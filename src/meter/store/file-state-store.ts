/**
 * Crash-safe persistence of one meter's state in a directory (`--state DIR`):
 *
 *   meter-state.json       the latest snapshot
 *   meter-state.prev.json  the one before it (the previous good snapshot)
 *   meter-state.json.<n>.tmp  a snapshot being written
 *
 * A save writes the temporary file and fsyncs it, renames the latest to .prev, renames the
 * temporary file to the latest, and fsyncs the directory: at every instant at least one complete,
 * checksummed snapshot exists. Loading verifies the checksum; a corrupt or truncated latest file is
 * moved aside (…corrupt-<time>) and the previous good snapshot used, with a warning through the
 * injected logger. A checksummed file with impossible contents (state-schema.ts) and a file over
 * MAX_STATE_FILE_BYTES (refused from its size, never read) count as damaged too. A newer format or
 * an unreadable file is refused with an error naming the file, and the store then refuses to write,
 * so such state is never overwritten.
 *
 * load() first takes the directory's lock (state-directory-lock.ts: one server per directory,
 * proving on the way that the directory is writable); release() gives it back after the last save,
 * discard() also removes the directory when load() created it (a start that failed leaves nothing).
 */
import { FileTooLargeError, fileSizeLimits, readFileWithinAsync } from '../../common/bounded-file.js';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { MeterState } from '../meter-state.js';
import { StateDirectoryLock } from './state-directory-lock.js';
import { CorruptStateError, decodeStateFile, encodeStateFile, NewerStateFormatError } from './state-file-format.js';
import { errorMessage } from '../../common/error-message.js';

export interface StoreLogger {
  warn(message: string): void;
}

/** The state cannot be used and must not be overwritten; the message says which file and why. */
export class StateRefusedError extends Error {
  override readonly name = 'StateRefusedError';
}

export const STATE_FILE = 'meter-state.json';
export const PREVIOUS_STATE_FILE = 'meter-state.prev.json';
/**
 * Largest state file read (64 MiB). A full state (4,320 load-profile records, 512 events, 12 billing
 * periods) is about 2 MB; anything much larger was not written by a meter.
 */
export const MAX_STATE_FILE_BYTES = fileSizeLimits.stateFile;

/**
 * mkdir -p, one level at a time: returns the first directory it created (undefined when the
 * directory existed). Node's own recursive mkdir never returns for a path under /proc (it retries
 * ENOENT forever on Node 20), so the server would hang instead of refusing.
 */
function makeDirectories(directory: string): string | undefined {
  const missing: string[] = [];
  let at = resolve(directory);
  for (;;) {
    try {
      if (!statSync(at).isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(at);
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
    }
  }
  missing.reverse();
  for (const path of missing) mkdirSync(path);
  return missing[0];
}

type ReadResult = { state: MeterState } | { missing: true } | { corrupt: string };

export class FileStateStore {
  readonly currentPath: string;
  readonly previousPath: string;
  private refusal: string | undefined;
  private saves = 0;
  /** Sequence numbers of saves started and of the newest one committed (renamed into place). */
  private started = 0;
  private committed = 0;
  private lock: StateDirectoryLock | undefined;
  /** The first directory load() created (removed again by discard()). */
  private createdDirectory: string | undefined;

  constructor(
    readonly directory: string,
    private readonly logger: StoreLogger = { warn: (m) => console.warn(m) },
  ) {
    this.currentPath = join(directory, STATE_FILE);
    this.previousPath = join(directory, PREVIOUS_STATE_FILE);
  }

  /** Snapshots written by this store so far. */
  get saveCount(): number {
    return this.saves;
  }

  /**
   * The stored state, or undefined when the directory holds none (it is created if missing).
   * Throws StateRefusedError when the state exists but cannot be used.
   */
  async load(): Promise<MeterState | undefined> {
    let created: string | undefined;
    try {
      created = makeDirectories(this.directory);
    } catch (error) {
      throw new StateRefusedError(`state directory ${this.directory} cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    try {
      this.lock = StateDirectoryLock.acquire(this.directory, (message) => this.logger.warn(`submeter: ${message}`));
    } catch (error) {
      if (created !== undefined) rmSync(created, { recursive: true, force: true });
      throw new StateRefusedError((error as Error).message);
    }
    this.createdDirectory = created;
    try {
      return await this.loadLocked();
    } catch (error) {
      this.lock.release();
      this.lock = undefined;
      throw error;
    }
  }

  /** Gives the directory's lock back (after the last save). Idempotent. */
  release(): void {
    this.lock?.release();
    this.lock = undefined;
  }

  /** A start that failed: give the lock back and remove the directory if load() created it. */
  discard(): void {
    this.release();
    this.refusal ??= 'discarded';
    if (this.createdDirectory !== undefined) rmSync(this.createdDirectory, { recursive: true, force: true });
    this.createdDirectory = undefined;
  }

  private async loadLocked(): Promise<MeterState | undefined> {
    // Temporary files left by a crash mid-save are incomplete by definition.
    for (const name of await readdir(this.directory)) {
      if (name.startsWith(`${STATE_FILE}.`) && name.endsWith('.tmp')) await unlink(join(this.directory, name)).catch(() => undefined);
    }
    const current = await this.read(this.currentPath);
    if ('state' in current) return current.state;
    const previous = await this.read(this.previousPath);
    if ('corrupt' in current) {
      if ('state' in previous) {
        const aside = `${this.currentPath}.corrupt-${Date.now()}`;
        await rename(this.currentPath, aside);
        this.logger.warn(
          `submeter: ${current.corrupt}; falling back to the previous good snapshot ${this.previousPath} ` +
            `(meter time ${new Date(previous.state.timeMs).toISOString()}); the damaged file was moved to ${aside}`,
        );
        return previous.state;
      }
      return this.refuse(
        `${current.corrupt}, and there is no usable previous snapshot (${'corrupt' in previous ? previous.corrupt : `${this.previousPath} missing`}); ` +
          'refusing to start over it: move the files away to start fresh',
      );
    }
    if ('state' in previous) {
      this.logger.warn(`submeter: ${this.currentPath} is missing; using the previous snapshot ${this.previousPath}`);
      return previous.state;
    }
    if ('corrupt' in previous) {
      return this.refuse(`${previous.corrupt}, and ${this.currentPath} is missing; refusing to start over it: move the files away to start fresh`);
    }
    return undefined;
  }

  private async read(path: string): Promise<ReadResult> {
    let bytes: Buffer;
    try {
      bytes = await readFileWithinAsync(path, fileSizeLimits.stateFile, 'a state file');
    } catch (error) {
      // too large to be ours: damaged, like a bad checksum (the previous good snapshot is used)
      if (error instanceof FileTooLargeError) return { corrupt: `${error.message}; not read` };
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { missing: true };
      return this.refuse(`cannot read state file ${path} (${code ?? errorMessage(error)}); refusing to start and not overwriting it`);
    }
    try {
      return { state: decodeStateFile(bytes, path) };
    } catch (error) {
      if (error instanceof NewerStateFormatError) return this.refuse(error.message);
      if (error instanceof CorruptStateError) return { corrupt: error.message };
      throw error;
    }
  }

  private refuse(message: string): never {
    this.refusal = message;
    throw new StateRefusedError(message);
  }

  private checkWritable(): void {
    if (this.refusal !== undefined) throw new StateRefusedError(`not saving over refused state: ${this.refusal}`);
  }

  private tempPath(sequence: number): string {
    return join(this.directory, `${STATE_FILE}.${sequence}.tmp`);
  }

  /**
   * Write a snapshot atomically (asynchronous I/O: the periodic saves of a running meter).
   * Each save has its own temporary file; a save overtaken by a newer one (a saveSync in a signal
   * handler) is dropped instead of replacing the newer snapshot.
   */
  async save(state: MeterState): Promise<void> {
    this.checkWritable();
    const sequence = ++this.started;
    const temp = this.tempPath(sequence);
    const bytes = encodeStateFile(state);
    const file = await open(temp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    const overtaken = async (): Promise<boolean> => {
      if (this.committed < sequence) return false;
      await unlink(temp).catch(() => undefined);
      return true;
    };
    if (await overtaken()) return;
    try {
      await rename(this.currentPath, this.previousPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (await overtaken()) return;
    await rename(temp, this.currentPath);
    this.committed = sequence;
    const dir = await open(this.directory, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    this.saves += 1;
    this.lock?.touch();
  }

  /** The same, synchronously: for the last save before exit (a signal handler). */
  saveSync(state: MeterState): void {
    this.checkWritable();
    mkdirSync(this.directory, { recursive: true });
    const sequence = ++this.started;
    const temp = this.tempPath(sequence);
    const bytes = encodeStateFile(state);
    const fd = openSync(temp, 'w');
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(this.currentPath, this.previousPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    renameSync(temp, this.currentPath);
    this.committed = sequence;
    const dir = openSync(this.directory, 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    this.saves += 1;
    this.lock?.touch();
  }

  /** The current file's bytes (diagnostics and tests). */
  readCurrentBytes(): Buffer {
    return readFileSync(this.currentPath);
  }
}
