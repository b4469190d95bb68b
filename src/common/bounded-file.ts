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

/**
 * What a bounded read has read so far: a buffer that doubles up to limit + 1 bytes (the one byte
 * more tells a file that grew past the limit), shared by the synchronous and asynchronous reads.
 */
class BoundedReadBuffer {
  buffer: Buffer;
  length = 0;

  constructor(
    private readonly file: string,
    private readonly limitBytes: number,
    sizeBytes: number,
    private readonly what: string,
  ) {
    if (sizeBytes > limitBytes) throw new FileTooLargeError(file, limitBytes, sizeBytes, what);
    this.buffer = Buffer.allocUnsafe(Math.min(limitBytes + 1, Math.max(sizeBytes + 1, 64 * 1024)));
  }

  /** Room for the next read (grown when full); throws once more than the limit has been read. */
  makeRoom(): void {
    if (this.length < this.buffer.length) return;
    if (this.length > this.limitBytes) throw new FileTooLargeError(this.file, this.limitBytes, undefined, this.what);
    const grown = Buffer.allocUnsafe(Math.min(this.limitBytes + 1, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** The bytes read (throws when they are more than the limit). */
  bytes(): Buffer {
    if (this.length > this.limitBytes) throw new FileTooLargeError(this.file, this.limitBytes, undefined, this.what);
    return this.buffer.subarray(0, this.length);
  }
}

/** Reads at most `limitBytes` of `file`; throws FileTooLargeError past that (and fs errors as they are). */
export function readFileWithin(file: string, limitBytes: number, what: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const read = new BoundedReadBuffer(file, limitBytes, fstatSync(fd).size, what);
    for (;;) {
      read.makeRoom();
      const count = readSync(fd, read.buffer, read.length, read.buffer.length - read.length, null);
      if (count === 0) return read.bytes();
      read.length += count;
    }
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
    const read = new BoundedReadBuffer(file, limitBytes, (await handle.stat()).size, what);
    for (;;) {
      read.makeRoom();
      const { bytesRead } = await handle.read(read.buffer, read.length, read.buffer.length - read.length, null);
      if (bytesRead === 0) return read.bytes();
      read.length += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
