/** An error of the control layer that maps to an HTTP status (400 bad input, 404 unknown, 409 not possible). */
export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}
