/** A register map that cannot be used: every problem names the file, the line, the register and the field. */

export interface MapProblem {
  file: string;
  /** 1-based line in the file (0 when unknown). */
  line: number;
  /** Register name (after `each` expansion), when the problem is inside one. */
  register?: string;
  /** Field path inside the register, or from the top of the file. */
  field?: string;
  message: string;
}

export function formatProblem(p: MapProblem): string {
  const where = [
    p.register === undefined ? undefined : `register "${p.register}"`,
    p.field === undefined ? undefined : `field "${p.field}"`,
  ].filter((s) => s !== undefined);
  return `${p.file}:${p.line}: ${where.length > 0 ? `${where.join(' ')}: ` : ''}${p.message}`;
}

export class MapLoadError extends Error {
  constructor(readonly problems: readonly MapProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'MapLoadError';
  }
}
