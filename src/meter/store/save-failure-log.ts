/**
 * What to say about failing saves: a line the first time a kind of failure occurs (EACCES, ENOSPC,
 * EROFS ...), nothing while the same failure repeats on every retry, a line again when it changes
 * kind, and one line when saving works again (how many attempts failed). A state directory that
 * fills up thus logs two lines, not one a second.
 */

/** The kind of a failure: its errno code, else its message. */
export function failureKind(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

export class SaveFailureLog {
  private kind: string | undefined;
  private failures = 0;

  /** Consecutive failed saves since the last good one. */
  get failedAttempts(): number {
    return this.failures;
  }

  /** A save failed: the line to log, or undefined when this kind of failure was already reported. */
  failed(error: unknown): string | undefined {
    this.failures += 1;
    const kind = failureKind(error);
    if (kind === this.kind) return undefined;
    this.kind = kind;
    const message = error instanceof Error ? error.message : String(error);
    return `cannot save state: ${message} (retrying every flush; logged once per kind of failure)`;
  }

  /** A save succeeded: the line to log when earlier ones had failed, else undefined. */
  succeeded(): string | undefined {
    if (this.failures === 0) return undefined;
    const line = `state saved again after ${this.failures} failed attempt${this.failures === 1 ? '' : 's'}`;
    this.failures = 0;
    this.kind = undefined;
    return line;
  }
}
