/**
 * A recording that cannot be read: names the file, the line (1-based; for binary data the
 * 1-based record number) and the field, so a user can find the fault with a text editor.
 */
export class WaveformFileError extends Error {
  override readonly name = 'WaveformFileError';

  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly field: string | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}${field === undefined ? '' : ` (${field})`}: ${detail}`);
  }
}
