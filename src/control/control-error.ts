/**
 * An error of the control layer that maps to an HTTP status (400 bad input, 403 foreign host or
 * origin, 404 unknown, 409 not possible, 413 body too large, 415 wrong content type, 429 too many
 * active faults).
 */
export type ControlErrorStatus = 400 | 403 | 404 | 409 | 413 | 415 | 429;

export class ControlError extends Error {
  constructor(
    readonly status: ControlErrorStatus,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}
