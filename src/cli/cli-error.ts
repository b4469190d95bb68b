/**
 * An error meant for the user of the command line: its message is printed as one line
 * (`submeter: <message>`) and the process exits with `exitCode`, without a stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
