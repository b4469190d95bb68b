/**
 * Fault ids across the workers of `serve --workers N`: each worker numbers its faults f1, f2 ...,
 * so the fleet names worker 2's `f3` `w2-f3`: unique, and routable back to the worker that holds
 * it (DELETE /faults/w2-f3). Every answer that carries a worker's fault ids is rewritten here.
 */
import { arrayField, field } from './json-fields.js';

/** Worker w's fault `f3` as the fleet names it: `w2-f3`. */
export function fleetFaultId(worker: number, id: string): string {
  return `w${worker}-${id}`;
}

/** The worker and its own id of a fleet fault id, or undefined when it is not one. */
export function parseFleetFaultId(id: string): { worker: number; id: string } | undefined {
  const match = /^w(\d+)-(.+)$/.exec(id);
  if (match === null) return undefined;
  return { worker: Number(match[1]), id: match[2] ?? '' };
}

/** The fault list (`{faults: [...]}`) of a worker's answer, every id made a fleet id. */
export function fleetFaults(worker: number, body: unknown): unknown[] {
  return arrayField(body, 'faults').map((fault) => {
    const id = field(fault, 'id');
    return typeof id === 'string' ? { ...(fault as object), id: fleetFaultId(worker, id) } : fault;
  });
}

/** A worker's timeline status whose history names the faults its steps applied ("f3 f4") by their fleet ids. */
export function withFleetFaultIds(worker: number, status: unknown): unknown {
  const history = field(status, 'history');
  if (!Array.isArray(history)) return status;
  return {
    ...(status as object),
    history: history.map((entry: unknown) => {
      const result = field(entry, 'result');
      return typeof result === 'string' ? { ...(entry as object), result: result.replace(/\bf\d+\b/g, (id) => fleetFaultId(worker, id)) } : entry;
    }),
  };
}
