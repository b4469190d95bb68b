/**
 * Reading a file that must not be huge (a register map, a panel config, a timeline, a state
 * file): the size is checked before anything is read, and the read stops one byte past the limit
 * whatever the file claims (a FIFO, /dev/zero, a file that grows), so a 1 GB file is never read
 * whole. The error is one line naming the file, its size and the limit.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

export const MiB = 1024 * 1024;

/** Size limits of the files submeter reads (bytes). */
export const fileSizeLimits = {
  /** A register map: the largest shipped map is 16 KB. */
  registerMap: 4 * MiB,
  /** A panel config: 100,000 meters take about 5.5 MB. */
  panelConfig: 64 * MiB,
  /** A timeline of scenario steps. */
  timeline: 4 * MiB,
  /** One meter's state file (registers, demand, load profile, events). */
  stateFile: 64 * MiB,
} as const;

export class FileTooLargeError extends Error {
  /** The message without the file name (for formats that name the file themselves). */
  readonly reason: string;

  constructor(
    readonly file: string,
    readonly limitBytes: number,
    /** The size, when known (undefined: the read passed the limit). */
    readonly sizeBytes: number | undefined,
    what: string,
  ) {
    const size = sizeBytes === undefined ? 'more than that' : formatBytes(sizeBytes);
    const reason = `${what} is larger than the limit of ${formatBytes(limitBytes)} (${size})`;
    super(`${file}: ${reason}`);
    this.reason = reason;
    this.name = 'FileTooLargeError';
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** Reads at most `limitBytes` of `file`; throws FileTooLargeError past that (and fs errors as they are). */
export function readFileWithin(file: string, limitBytes: number, what: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.size > limitBytes) throw new FileTooLargeError(file, limitBytes, stat.size, what);
    let buffer = Buffer.allocUnsafe(Math.min(limitBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limitBytes) throw new FileTooLargeError(file, limitBytes, undefined, what);
        const grown = Buffer.allocUnsafe(Math.min(limitBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > limitBytes) throw new FileTooLargeError(file, limitBytes, undefined, what);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

export function readTextFileWithin(file: string, limitBytes: number, what: string): string {
  return readFileWithin(file, limitBytes, what).toString('utf8');
}

/** The asynchronous form of readFileWithin. */
export async function readFileWithinAsync(file: string, limitBytes: number, what: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const stat = await handle.stat();
    if (stat.size > limitBytes) throw new FileTooLargeError(file, limitBytes, stat.size, what);
    let buffer = Buffer.allocUnsafe(Math.min(limitBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limitBytes) throw new FileTooLargeError(file, limitBytes, undefined, what);
        const grown = Buffer.allocUnsafe(Math.min(limitBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limitBytes) throw new FileTooLargeError(file, limitBytes, undefined, what);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
