/** The problems found while loading one register map, each at a line and a field of the file. */
import { fieldPath, type FieldPath } from '../common/source-problem.js';
import type { YamlDocument } from '../common/yaml-document.js';
import { MapLoadError, type MapProblem } from './map-load-error.js';

export class MapProblems {
  readonly list: MapProblem[] = [];

  constructor(readonly document: YamlDocument) {}

  /** A problem at `path` from the top of the file. */
  at(path: FieldPath, message: string): void {
    this.list.push(this.document.problemAt(path, message));
  }

  /** A problem in the register named `register` (after `each` expansion), entry `index`, at its dotted `field`. */
  inRegister(index: number, register: string, field: string, message: string): void {
    this.list.push({
      file: this.document.file,
      line: this.document.lineOf(['registers', index, ...field.split('.')]),
      field: registerField(register, field === '' ? [] : field.split('.')),
      message,
    });
  }

  /** A problem in an expanded register, at the register's own line. */
  onLine(line: number, register: string, field: string, message: string): void {
    this.list.push({ file: this.document.file, line, field: registerField(register, [field]), message });
  }

  /** Throws every problem found so far as one MapLoadError. */
  throwIfAny(): void {
    if (this.list.length > 0) throw new MapLoadError(this.list);
  }
}

/** `registers["U L1"].quantity`: the register by name, then the path inside it. */
export function registerField(register: string, inside: FieldPath): string {
  const rest = fieldPath(inside);
  return `registers[${JSON.stringify(register)}]${rest === '' || rest.startsWith('[') ? rest : `.${rest}`}`;
}
