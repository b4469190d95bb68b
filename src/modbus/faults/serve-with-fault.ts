/**
 * Carry out a fault decision for one exchange. A transport calls this only when its hook returned
 * a decision (the no-fault path never gets here). The transport supplies how to execute and frame
 * the normal answer, how to frame an exception, how to write, and how to close the connection.
 */
import type { CommFaultDecision } from './comm-fault.js';
import type { FramingDescriptor } from '../framing/framing-descriptor.js';
import { mutateFrame } from './frame-mutation.js';

export interface FaultedExchange {
  /** Execute the request and return the whole answer frame; undefined when nothing is to be sent (broadcast). */
  answer(): Uint8Array | undefined;
  /** The whole answer frame of exception `code` for this request. */
  exceptionAnswer(code: number): Uint8Array;
  /** Send bytes (called at most once; the transport ignores it when its connection is gone). */
  write(frame: Uint8Array): void;
  /** Drop the connection (TCP, RTU over TCP); a serial line has none: do nothing (no answer). */
  close(): void;
}

export interface FaultTimers {
  setTimeout(callback: () => void, ms: number): unknown;
}

const realTimers: FaultTimers = { setTimeout: (callback, ms) => setTimeout(callback, ms) };

export function serveWithFault(
  decision: CommFaultDecision,
  framing: FramingDescriptor,
  exchange: FaultedExchange,
  timers: FaultTimers = realTimers,
): void {
  const later = (action: () => void): void => {
    if (decision.delayMs > 0) timers.setTimeout(action, decision.delayMs);
    else action();
  };
  switch (decision.outcome) {
    case 'silence':
      return;
    case 'disconnect':
      later(() => exchange.close());
      return;
    case 'exception': {
      const frame = mutateFrame(exchange.exceptionAnswer(decision.exceptionCode), framing, decision.mutations);
      later(() => exchange.write(frame));
      return;
    }
    case 'answer': {
      const answer = exchange.answer();
      if (answer === undefined) return;
      const frame = mutateFrame(answer, framing, decision.mutations);
      later(() => exchange.write(frame));
      return;
    }
  }
}
