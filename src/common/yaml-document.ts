/**
 * YAML with line numbers. The usual file (block mappings and sequences, plain and quoted scalars,
 * one-line flow collections) is read by a fast reader of that subset (yaml-plain-subset.ts); any
 * other text, and any text with a problem to report, by the yaml package: parse once; the line of
 * a field is found by path through mappings indexed on first use (a map lookup per segment, not a
 * scan of a 100,000-key mapping). One pass finds repeated keys (linear, unlike the yaml package's
 * own check), strings over the length limit and the first alias; an alias bomb is a problem at
 * that line. Syntax errors and schema issues come back as SourceProblems.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { fieldPath, type FieldPath, type SourceProblem } from './source-problem.js';
import { plainIssueMessage } from './schema-wording.js';
import { treeLines } from './yaml-line-tree.js';
import { parseYamlSubset } from './yaml-plain-subset.js';

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

/** Longest string (scalar or key) a YAML file may hold, in characters. */
export const maxYamlStringChars = 64 * 1024;
/** Alias expansions allowed when a document becomes data (the yaml package's default; a "billion laughs" needs far more). */
export const maxYamlAliasCount = 100;

interface TreeScan {
  /** Lines of keys repeated in their mapping. */
  readonly duplicateKeyLines: number[];
  /** Lines of strings longer than maxYamlStringChars, with their length. */
  readonly longStrings: Array<{ line: number; length: number }>;
  /** Line of the first alias (*name), 0 if none. */
  readonly firstAliasLine: number;
}

function lineOfNode(node: Node, lines: LineCounter): number | undefined {
  return node.range === undefined || node.range === null ? undefined : lines.linePos(node.range[0]).line;
}

/** Mappings this small are checked for repeated keys by comparing pairs (no Set per mapping). */
const smallMapping = 16;

/**
 * One pass over the tree: keys a mapping repeats (a set per large mapping; the yaml package's own
 * check compares each key with every earlier one: quadratic in a mapping's size), strings over
 * the length limit, the first alias. No per-node strings are built: lines are looked up on demand.
 */
function scanTree(root: Node | null, lines: LineCounter): TreeScan {
  const duplicateKeyLines: number[] = [];
  const longStrings: Array<{ line: number; length: number }> = [];
  let firstAliasLine = 0;
  const checkLength = (node: Node): void => {
    if (isScalar(node) && typeof node.value === 'string' && node.value.length > maxYamlStringChars) {
      longStrings.push({ line: lineOfNode(node, lines) ?? 0, length: node.value.length });
    }
  };
  const visit = (node: unknown): void => {
    if (node === null || node === undefined) return;
    if (isAlias(node)) {
      if (firstAliasLine === 0) firstAliasLine = lineOfNode(node, lines) ?? 0;
      return;
    }
    if (isScalar(node)) {
      checkLength(node);
      return;
    }
    if (isMap(node)) {
      const items = node.items;
      const seen = items.length > smallMapping ? new Set<unknown>() : undefined;
      for (let i = 0; i < items.length; i += 1) {
        const pair = items[i];
        if (pair === undefined) continue;
        if (isAlias(pair.key) && firstAliasLine === 0) firstAliasLine = lineOfNode(pair.key, lines) ?? 0;
        if (isScalar(pair.key)) {
          checkLength(pair.key);
          const key = pair.key.value;
          let repeated = false;
          if (seen !== undefined) {
            repeated = seen.has(key);
            seen.add(key);
          } else {
            for (let j = 0; j < i && !repeated; j += 1) {
              const earlier = items[j]?.key;
              repeated = isScalar(earlier) && earlier.value === key;
            }
          }
          if (repeated) duplicateKeyLines.push(lineOfNode(pair.key, lines) ?? 0);
        }
        visit(pair.value);
      }
      return;
    }
    if (isSeq(node)) for (const item of node.items) visit(item);
  };
  visit(root);
  return { duplicateKeyLines, longStrings, firstAliasLine };
}

/**
 * Lines by path, looked up on demand: a mapping is indexed (key -> value node) the first time a
 * path goes through it, so a lookup costs a map lookup per path segment (an 18,000-meter config
 * asks for 18,000 lines), and a mapping no path visits costs nothing.
 */
function pathLines(root: Node | null, lines: LineCounter): (path: FieldPath) => number {
  const mappings = new WeakMap<object, Map<string, unknown>>();
  const childOf = (node: unknown, segment: PropertyKey): unknown => {
    if (isMap(node)) {
      let index = mappings.get(node);
      if (index === undefined) {
        index = new Map();
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const key = String(pair.key.value);
          if (!index.has(key)) index.set(key, pair.value);
        }
        mappings.set(node, index);
      }
      return index.get(String(segment));
    }
    if (isSeq(node)) return node.items[Number(segment)];
    return undefined;
  };
  return (path) => {
    if (root === null || isAlias(root)) return 0;
    let node: unknown = root;
    let line = lineOfNode(root, lines) ?? 0;
    for (const segment of path) {
      node = childOf(node, segment);
      if (node === null || node === undefined || isAlias(node) || !(isScalar(node) || isMap(node) || isSeq(node))) break;
      line = lineOfNode(node, lines) ?? line;
    }
    return line;
  };
}

/**
 * Where to report a parse error: the parser places an unterminated quote or bracket at the end of
 * the text, a line after the last one; the last character written is where the user must look.
 */
function errorOffset(text: string, offset: number): number {
  const end = text.trimEnd().length;
  return offset >= end ? Math.max(0, end - 1) : offset;
}

function yamlDocument(file: string, value: unknown, lineOf: (path: FieldPath) => number): YamlDocument {
  return { file, value, lineOf, problemAt: (path, message) => ({ file, line: lineOf(path), field: fieldPath(path), message }) };
}

/** Parses YAML: the fast subset reader when it accepts the text, else the yaml package (parseYamlFully); both give the same result. */
export function parseYaml(text: string, file: string, options: YamlOptions = {}): ParsedYaml {
  const simple = parseYamlSubset(text, maxYamlStringChars);
  if (simple !== undefined) return { ok: true, document: yamlDocument(file, simple.value, treeLines(simple.lines)) };
  return parseYamlFully(text, file, options);
}

/** Parses YAML with the yaml package: every text, every problem (the reference the fast reader is compared with). */
export function parseYamlFully(text: string, file: string, options: YamlOptions = {}): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ file, line: lines.linePos(errorOffset(text, e.pos[0])).line, field: '', message: `YAML: ${e.message.split('\n')[0] ?? e.message}` })),
    };
  }
  const index = scanTree(doc.contents, lines);
  if (index.longStrings.length > 0) {
    return {
      ok: false,
      problems: index.longStrings.map(({ line, length }) => ({ file, line, field: '', message: `YAML: a string of ${length} characters is longer than the limit of ${maxYamlStringChars}` })),
    };
  }
  if ((options.uniqueKeys ?? true) && index.duplicateKeyLines.length > 0) {
    return { ok: false, problems: index.duplicateKeyLines.map((line) => ({ file, line, field: '', message: 'YAML: Map keys must be unique' })) };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: maxYamlAliasCount });
  } catch (error) {
    // The yaml package throws (with no position) when aliases expand too often: an alias bomb.
    const why = error instanceof Error && /alias/i.test(error.message)
      ? `YAML: aliases expand too often (more than ${maxYamlAliasCount} times; an alias bomb?)`
      : `YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    return { ok: false, problems: [{ file, line: index.firstAliasLine, field: '', message: why }] };
  }
  return { ok: true, document: yamlDocument(file, value, pathLines(doc.contents, lines)) };
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
    return [{ path, message: plainIssueMessage(issue) }];
  });
}
