/**
 * An error meant for the user of the command line: its message is printed as one line
 * (`submeter: <message>`) and the process exits with `exitCode`, without a stack trace. An error
 * made of several problems (a register map's) gives them as `lines`: one `submeter: ` line each.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly lines?: readonly string[],
  ) {
    super(message);
    this.name = 'CliError';
  }
}
