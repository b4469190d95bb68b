/**
 * YAML with line numbers: parse once, index every node's line in one pass (path -> line), so
 * looking up the line of a field costs a map lookup, not a walk from the root (an 18,000-meter
 * config asks for 18,000 lines). The same pass finds duplicate keys with a set per mapping (the
 * yaml package's own check compares each key with every earlier one: quadratic in a mapping's
 * size). Syntax errors and schema issues come back as SourceProblems.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { fieldPath, type FieldPath, type SourceProblem } from './source-problem.js';

export interface YamlDocument {
  readonly file: string;
  /** The document as plain data (what a schema validates). */
  readonly value: unknown;
  /** 1-based line of the node at `path`, or of its nearest existing ancestor (0 if none). */
  lineOf(path: FieldPath): number;
  /** A problem at `path`: its line, its field, the message. */
  problemAt(path: FieldPath, message: string): SourceProblem;
}

export type ParsedYaml = { readonly ok: true; readonly document: YamlDocument } | { readonly ok: false; readonly problems: SourceProblem[] };

export interface YamlOptions {
  /** Reject a mapping with the same key twice (default true). */
  readonly uniqueKeys?: boolean;
}

function keyOf(path: FieldPath, length: number): string {
  let key = '';
  for (let i = 0; i < length; i += 1) key += `\u0000${String(path[i])}`;
  return key;
}

interface LineIndex {
  /** Path key -> 1-based line. */
  readonly lines: Map<string, number>;
  /** Lines of keys repeated in their mapping. */
  readonly duplicateKeyLines: number[];
}

/** One pass over the tree: the line where each node (by path) starts, and the keys a mapping repeats. */
function indexLines(root: Node | null, lines: LineCounter): LineIndex {
  const index = new Map<string, number>();
  const duplicateKeyLines: number[] = [];
  const lineAt = (node: Node): number | undefined => (node.range === undefined || node.range === null ? undefined : lines.linePos(node.range[0]).line);
  const visit = (node: unknown, key: string): void => {
    if (node === null || node === undefined || isAlias(node)) return;
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) return;
    const line = lineAt(node);
    if (line !== undefined && !index.has(key)) index.set(key, line);
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) duplicateKeyLines.push(lineAt(pair.key) ?? 0);
        seen.add(pair.key.value);
        visit(pair.value, `${key}\u0000${String(pair.key.value)}`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, `${key}\u0000${i}`));
    }
  };
  visit(root, '');
  return { lines: index, duplicateKeyLines };
}

export function parseYaml(text: string, file: string, options: YamlOptions = {}): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ file, line: lines.linePos(e.pos[0]).line, field: '', message: `YAML: ${e.message.split('\n')[0] ?? e.message}` })),
    };
  }
  const index = indexLines(doc.contents, lines);
  if ((options.uniqueKeys ?? true) && index.duplicateKeyLines.length > 0) {
    return { ok: false, problems: index.duplicateKeyLines.map((line) => ({ file, line, field: '', message: 'YAML: Map keys must be unique' })) };
  }
  const lineOf = (path: FieldPath): number => {
    for (let n = path.length; n >= 0; n -= 1) {
      const line = index.lines.get(keyOf(path, n));
      if (line !== undefined) return line;
    }
    return 0;
  };
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // The yaml package's alias limit ("Excessive alias count indicates a resource exhaustion
    // attack"): a problem of the input, reported at the first alias like any other.
    const firstAlias = /(^|[\s[,{:])\*[^\s,\]}]/m.exec(text);
    const line = firstAlias === null ? 1 : text.slice(0, firstAlias.index + firstAlias[0].length).split('\n').length;
    return { ok: false, problems: [{ file, line, field: '', message: `YAML: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  return {
    ok: true,
    document: {
      file,
      value,
      lineOf,
      problemAt: (path, message) => ({ file, line: lineOf(path), field: fieldPath(path), message }),
    },
  };
}

/** The value at `path` in plain data, or undefined. */
function valueAt(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

export interface SchemaIssue {
  /** Path from the top of the document. */
  readonly path: FieldPath;
  readonly message: string;
}

/**
 * A schema's issues in the words every loader uses: an absent field is "required field is
 * missing", an unknown key is `unknown field "key"` at that key. `data` is what was validated,
 * found at `prefix` in the document.
 */
export function schemaIssues(issues: readonly z.core.$ZodIssue[], data: unknown, prefix: FieldPath = []): SchemaIssue[] {
  return issues.flatMap((issue): SchemaIssue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"` }));
    if (issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(data, issue.path) === undefined) return [{ path, message: 'required field is missing' }];
    return [{ path, message: issue.message }];
  });
}
