/**
 * The runtime's errors, typed so that callers decide what they mean: the runtime has no exit
 * codes. Two kinds:
 * - SpecError: what was asked for is wrong (a panel spec, flags turned into a spec, a config file,
 *   a read target naming no transport). Nothing was started. The CLI exits 2, as for a bad flag.
 * - RunFailure: a valid request failed while running it (a port in use, a missing serial device,
 *   an unknown profile or source when a meter is built, a meter that does not answer). The CLI
 *   exits 1.
 * Every message is one line meant for a person ("cannot listen on 127.0.0.1:1502: address already
 * in use ..."); ConfigError (config/config-error.ts) is the SpecError that lists every problem.
 */
export abstract class RuntimeError extends Error {
  abstract readonly kind: 'spec' | 'run';
}

/** The request is wrong: a spec, flags or a config file that cannot describe a panel. */
export class SpecError extends RuntimeError {
  readonly kind = 'spec';

  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

/** A valid request that failed while running (I/O, a meter that cannot be built, no answer). */
export class RunFailure extends RuntimeError {
  readonly kind = 'run';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunFailure';
  }
}
