/**
 * The top-level error handler: a bad flag, a bad config, a port in use, a missing serial device
 * or a permission error ends the command with one line `submeter: ...` on stderr and a non-zero
 * exit code, never a stack trace. An unexpected error also prints one line (plus the stack with
 * SUBMETER_DEBUG=1). The runtime's typed errors map to exit codes here: SpecError (and ConfigError)
 * 2, RunFailure 1.
 */
import { CommanderError, type Command } from 'commander';
import { RuntimeError } from '../runtime/runtime-error.js';
import { systemErrorMessage, errorCode } from '../runtime/system-error-message.js';
import { CliError } from './cli-error.js';

/** Exit code of a runtime error: 2 for a spec or config that cannot run (as for a bad flag), 1 for a failure while running. */
export function exitCodeOf(error: RuntimeError): number {
  return error.kind === 'spec' ? 2 : 1;
}
import { errorMessage } from '../common/error-message.js';

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Commander's words, shorter: "option '--tcp <host:port>' argument 'x' is invalid. expected ..."
 * becomes "--tcp x: expected ..."; "(Did you mean --profile?)" stays.
 */
function commanderMessage(message: string): string {
  const text = message.replace(/^error: /, '');
  const invalid = /^option '(-[^ ',]+)(?:, ?-[^ ']+)?(?: [<[][^']*)?' argument '([\s\S]*)' is invalid\. ([\s\S]*)$/.exec(text);
  if (invalid !== null) return `${invalid[1] ?? ''} ${invalid[2] ?? ''}: ${invalid[3] ?? ''}`;
  const argument = /^command-argument value '([\s\S]*)' is invalid for argument '([^']*)'\. ([\s\S]*)$/.exec(text);
  if (argument !== null) return `${argument[2] ?? ''} ${argument[1] ?? ''}: ${argument[3] ?? ''}`;
  return text;
}

/** Makes a program and all its sub-commands throw instead of exiting, and print nothing themselves. */
function quiet(command: Command): void {
  command.exitOverride();
  command.configureOutput({ outputError: () => undefined });
  for (const sub of command.commands) quiet(sub);
}

export async function runCli(program: Command, argv: readonly string[]): Promise<number> {
  quiet(program);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help, --version
      process.stderr.write(`submeter: ${oneLine(commanderMessage(error.message))}\n`);
      return error.exitCode === 1 ? 2 : error.exitCode;
    }
    if (error instanceof CliError) {
      for (const line of error.lines ?? [error.message]) process.stderr.write(`submeter: ${oneLine(line)}\n`);
      return error.exitCode;
    }
    if (error instanceof RuntimeError) {
      process.stderr.write(`submeter: ${oneLine(error.message)}\n`);
      return exitCodeOf(error);
    }
    const message = errorCode(error) !== undefined ? systemErrorMessage('error', error) : error instanceof Error ? error.message : String(error);
    process.stderr.write(`submeter: ${oneLine(message)}\n`);
    if (process.env.SUBMETER_DEBUG === '1' && error instanceof Error && error.stack !== undefined) process.stderr.write(error.stack + '\n');
    return 1;
  }
}
