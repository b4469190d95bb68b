/**
 * Where every node of a parsed YAML document starts, without the yaml package's node objects: a
 * scalar is its 1-based line; a mapping or a sequence is its line and its children's trees. A path
 * is looked up the way the document's own nodes are (see pathLines in yaml-document.ts): a mapping
 * is indexed by its keys' text the first time a path goes through it, first key first.
 */
import type { FieldPath } from './source-problem.js';

export type LineTree = number | LineCollection;

export interface LineCollection {
  readonly line: number;
  /** Keys of a mapping (their values: a path finds a key by its text, String(value)), in order; undefined for a sequence. */
  readonly keys: readonly unknown[] | undefined;
  /** Values of a mapping (parallel to `keys`) or items of a sequence. */
  readonly items: readonly LineTree[];
}

function lineOfTree(tree: LineTree): number {
  return typeof tree === 'number' ? tree : tree.line;
}

/** 1-based line of the node at a path, or of its nearest existing ancestor. */
export function treeLines(root: LineTree): (path: FieldPath) => number {
  const indexes = new WeakMap<LineCollection, Map<string, LineTree>>();
  const childOf = (node: LineCollection, segment: PropertyKey): LineTree | undefined => {
    if (node.keys === undefined) return node.items[Number(segment)];
    let index = indexes.get(node);
    if (index === undefined) {
      index = new Map();
      for (let i = 0; i < node.keys.length; i += 1) {
        const key = String(node.keys[i]);
        const item = node.items[i];
        if (item !== undefined && !index.has(key)) index.set(key, item);
      }
      indexes.set(node, index);
    }
    return index.get(String(segment));
  };
  return (path) => {
    let node = root;
    let line = lineOfTree(root);
    for (const segment of path) {
      if (typeof node === 'number') break;
      const child = childOf(node, segment);
      if (child === undefined) break;
      node = child;
      line = lineOfTree(child);
    }
    return line;
  };
}
