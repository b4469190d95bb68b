/**
 * One problem in a source file (register map, panel config, timeline): the file, the 1-based line
 * (0 when unknown), the field as a path ("endpoints[0].units.1"; empty for the whole file) and
 * the message. Printed one way everywhere: `file:line: field: message`.
 */
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

export function formatProblem(problem: SourceProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file;
  return problem.field === '' ? `${where}: ${problem.message}` : `${where}: ${problem.field}: ${problem.message}`;
}
