/**
 * One problem in a source file (register map, panel config, timeline): the file, the 1-based line
 * (0 when unknown), the field as a path ("endpoints[0].units.1"; empty for the whole file) and
 * the message. Printed one way everywhere: `file:line: field: message`.
 */
import { boundedMessage } from './excerpt.js';

export interface SourceProblem {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

export type FieldPath = ReadonlyArray<PropertyKey>;

const PLAIN_KEY = /^[A-Za-z0-9_$][\w$-]*$/;

/** `['endpoints', 0, 'units', '1']` -> `endpoints[0].units.1`; keys with spaces or dots are quoted: `registers["U L1"]`. */
export function fieldPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else {
      const key = String(segment);
      if (PLAIN_KEY.test(key)) text += text === '' ? key : `.${key}`;
      else text += `[${JSON.stringify(key)}]`;
    }
  }
  return text;
}

/** `file:line: field: message`, each part cut to a few hundred characters (no 150 MB error lines). */
export function formatProblem(problem: SourceProblem): string {
  const where = problem.line > 0 ? `${boundedMessage(problem.file, 300)}:${problem.line}` : boundedMessage(problem.file, 300);
  const message = boundedMessage(problem.message);
  return problem.field === '' ? `${where}: ${message}` : `${where}: ${boundedMessage(problem.field, 200)}: ${message}`;
}
