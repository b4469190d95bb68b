/** What every `submeter ctl` sub-command shares: the client its global options select, error reporting, printing. */
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { unknownName } from '../../common/name-suggestion.js';
import { ControlClientError, createControlClient, type ControlClient } from '../../control/http/control-client.js';

interface GlobalOptions {
  url: string;
  token?: string;
}

/** The control API client for `--url` and `--token` (default: env SUBMETER_CONTROL_TOKEN). */
export function clientFor(cmd: Command): ControlClient {
  const o = cmd.optsWithGlobals<GlobalOptions>();
  return createControlClient({ url: o.url, token: o.token ?? process.env.SUBMETER_CONTROL_TOKEN });
}

/**
 * An action whose ControlClientError becomes `submeter ctl: <message>` on stderr: exit 2 when the
 * API refused the request (4xx: an unknown meter, a bad value), 1 when it could not be reached or failed.
 */
export function run<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (error) {
      if (error instanceof ControlClientError) {
        process.stderr.write(`submeter ctl: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
        process.exitCode = error.status >= 400 && error.status < 500 ? 2 : 1;
        return;
      }
      throw error;
    }
  };
}

/** A kind named on the command line (`ctl scenario meter sagg`): exit 2 with the closest known kind, before asking the API. */
export function checkKind(what: string, kind: string, known: readonly string[]): void {
  if (!known.includes(kind)) throw new CliError(`${unknownName(what, kind, known, 'kinds')}`, 2);
}

/** The value as JSON (`--json`) or as the human text. */
export function print(value: unknown, asJson: boolean, human: () => string): void {
  process.stdout.write(asJson ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** A number with `digits` decimals, '-' when the API sent none (NaN arrives as null). */
export const fixed = (value: unknown, digits: number): string => (typeof value === 'number' ? value.toFixed(digits) : '-');
