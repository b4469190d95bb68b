/**
 * A fast reader for the YAML that config files and register maps are written in: block mappings
 * and sequences indented with spaces, plain and single-line quoted scalars (YAML 1.2 core schema),
 * literal and folded block scalars, one-line flow collections, comments. It builds the plain data
 * and the line of every node in one pass over the text (the yaml package's parser, composer and
 * toJS take ~40x longer on a 100,000-meter config).
 *
 * It gives up (returns undefined) on anything else and on anything the full path would report:
 * anchors, aliases, tags, directives, document markers, explicit keys, multi-line plain or quoted
 * scalars, multi-line flow collections, tabs and control characters, keys repeated in a mapping,
 * over-long keys and strings, deep nesting, syntax errors. The caller then parses the text with
 * the yaml package, which is the reference: for every text this reader accepts it must give the
 * same data and the same lines (a test compares them on a varied corpus).
 */
import { coreScalarValue } from './yaml-core-scalar.js';
import type { LineCollection, LineTree } from './yaml-line-tree.js';

export interface YamlSubsetDocument {
  /** The document as plain data, as the yaml package's toJS() gives it. */
  readonly value: unknown;
  /** Where each node starts. */
  readonly lines: LineTree;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DOT = 0x2e;
const COMMA = 0x2c;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const PIPE = 0x7c;
const GREATER = 0x3e;
const PLUS = 0x2b;

/** Nesting deeper than this is left to the full path (no stack overflow here). */
const maxDepth = 200;
/** The yaml package refuses an implicit key whose ':' is more than 1024 characters from its start; stay well below. */
const maxKeyChars = 1000;
/** Mappings this small are checked for repeated keys by comparing (as yaml-document.ts does). */
const smallMapping = 16;

/** Tabs, control characters, a byte-order mark, Unicode line separators, a lone carriage return. */
const unusualCharacter = new RegExp('[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029\\ufeff]');

/** Thrown (once per document, never escapes) when the text leaves the subset. */
const outsideSubset: unique symbol = Symbol('outside the YAML subset');

const escapes = new Map<string, string>([
  ['0', '\0'],
  ['a', '\x07'],
  ['b', '\b'],
  ['e', '\x1b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['v', '\v'],
  ['N', '\u0085'],
  ['_', '\u00a0'],
  ['L', '\u2028'],
  ['P', '\u2029'],
  [' ', ' '],
  ['"', '"'],
  ['/', '/'],
  ['\\', '\\'],
]);
const hexDigits = /^[0-9a-fA-F]+$/;

function isFlowIndicator(code: number): boolean {
  return code === COMMA || code === OPEN_BRACKET || code === CLOSE_BRACKET || code === OPEN_BRACE || code === CLOSE_BRACE;
}

/** Can a plain scalar start with `code` (followed by `next`)? Indicators cannot; '-' can when a character other than a space follows. */
function plainStart(code: number, next: number): boolean {
  if (Number.isNaN(code) || code === SPACE || code === NEWLINE) return false;
  if (code === DASH) return !(Number.isNaN(next) || next === SPACE || next === NEWLINE || isFlowIndicator(next));
  switch (String.fromCharCode(code)) {
    case ',': case '[': case ']': case '{': case '}': case '#': case '&': case '*': case '!':
    case '|': case '>': case "'": case '"': case '%': case '@': case '`': case '?': case ':':
      return false;
    default:
      return true;
  }
}

/** Collects one mapping: its data, its keys and their trees; gives up on a repeated key. */
class MappingBuilder {
  readonly value: Record<string, unknown> = {};
  private readonly keys: unknown[] = [];
  private readonly items: LineTree[] = [];
  private seen: Set<unknown> | undefined;

  add(key: unknown, value: unknown, tree: LineTree): void {
    if (typeof key === 'number' && Number.isNaN(key)) throw outsideSubset;
    // Repeated as the full path's scan sees it: by value (1 and "1" are two keys).
    if (this.seen !== undefined) {
      if (this.seen.has(key)) throw outsideSubset;
      this.seen.add(key);
    } else {
      if (this.keys.includes(key)) throw outsideSubset;
      if (this.keys.length >= smallMapping) this.seen = new Set([...this.keys, key]);
    }
    // As the yaml package turns a key into a property name (null -> ""). It defines a name the
    // object already has (inherited, or "1" after 1) as an own property where it stands; so does
    // an assignment, for every name but __proto__.
    const name = key === null ? '' : String(key);
    if (name === '__proto__') throw outsideSubset;
    this.value[name] = value;
    this.keys.push(key);
    this.items.push(tree);
  }

  tree(line: number): LineCollection {
    return { line, keys: this.keys, items: this.items };
  }
}

/**
 * The reader. Its cursor: `pos` in the text, `line` (1-based) and `lineStart` of that line; after
 * skipToContent(), `pos` is the first character of the next line with content and `indent` its
 * column (-1 at the end of the text). Every block node reader leaves the cursor there, returns the
 * node's data and leaves its lines in `tree` (no pair allocated per node).
 */
class SubsetReader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private indent = -1;
  /** The key a successful keyEnd() read. */
  private keyValue: unknown = null;
  /** The lines of the node read last. */
  private tree: LineTree = 0;

  constructor(
    private readonly s: string,
    private readonly maxStringChars: number,
  ) {}

  document(): YamlSubsetDocument {
    this.skipToContent();
    if (this.indent < 0) throw outsideSubset;
    const value = this.blockNode(0);
    if (this.indent >= 0) throw outsideSubset;
    return { value, lines: this.tree };
  }

  private code(at: number): number {
    return this.s.charCodeAt(at);
  }

  private string(value: string): string {
    if (value.length > this.maxStringChars) throw outsideSubset;
    return value;
  }

  private scalar(value: unknown): unknown {
    return typeof value === 'string' ? this.string(value) : value;
  }

  /** From the start of a line: past blank and comment lines to the next content. */
  private skipToContent(): void {
    const s = this.s;
    let p = this.pos;
    for (;;) {
      const start = p;
      while (this.code(p) === SPACE) p += 1;
      if (p >= s.length) {
        this.pos = s.length;
        this.indent = -1;
        return;
      }
      const c = this.code(p);
      if (c === NEWLINE || c === HASH) {
        const end = c === NEWLINE ? p : s.indexOf('\n', p);
        if (end < 0) {
          this.pos = s.length;
          this.indent = -1;
          return;
        }
        p = end + 1;
        this.line += 1;
        continue;
      }
      if (p === start && (c === DASH || c === DOT) && this.documentMarker(p)) throw outsideSubset;
      this.lineStart = start;
      this.pos = p;
      this.indent = p - start;
      return;
    }
  }

  private documentMarker(p: number): boolean {
    const s = this.s;
    if (!s.startsWith('---', p) && !s.startsWith('...', p)) return false;
    const after = this.code(p + 3);
    return Number.isNaN(after) || after === SPACE || after === NEWLINE;
  }

  /** After a value on its line: spaces, perhaps a comment, the line end; the cursor moves to the next line. */
  private endOfLine(): void {
    const s = this.s;
    let p = this.pos;
    while (this.code(p) === SPACE) p += 1;
    const c = this.code(p);
    if (c === HASH && p > this.pos) p = s.indexOf('\n', p);
    else if (!(p >= s.length || c === NEWLINE)) throw outsideSubset;
    if (p < 0 || p >= s.length) {
      this.pos = s.length;
      return;
    }
    this.pos = p + 1;
    this.line += 1;
  }

  private isDashItem(p: number): boolean {
    if (this.code(p) !== DASH) return false;
    const next = this.code(p + 1);
    return Number.isNaN(next) || next === SPACE || next === NEWLINE;
  }

  /** A mapping or a sequence starting at the cursor (at the start of its line's content). */
  private blockNode(depth: number): unknown {
    if (this.isDashItem(this.pos)) return this.blockSequence(this.indent, depth);
    if (this.keyEnd(this.pos) >= 0) return this.blockMapping(this.indent, depth);
    throw outsideSubset;
  }

  private blockMapping(column: number, depth: number): unknown {
    if (depth > maxDepth) throw outsideSubset;
    const mapping = new MappingBuilder();
    const line = this.line;
    for (;;) {
      const after = this.keyEnd(this.pos);
      if (after < 0) throw outsideSubset;
      const key = this.keyValue;
      const keyLine = this.line;
      this.pos = after;
      const value = this.valueAfterIndicator(column, true, keyLine, depth);
      mapping.add(key, value, this.tree);
      if (this.indent !== column) {
        if (this.indent > column) throw outsideSubset;
        break;
      }
      if (this.isDashItem(this.pos)) break;
    }
    this.tree = mapping.tree(line);
    return mapping.value;
  }

  private blockSequence(column: number, depth: number): unknown {
    if (depth > maxDepth) throw outsideSubset;
    const value: unknown[] = [];
    const items: LineTree[] = [];
    const line = this.line;
    for (;;) {
      const itemLine = this.line;
      this.pos += 1;
      value.push(this.valueAfterIndicator(column, false, itemLine, depth));
      items.push(this.tree);
      if (this.indent !== column) {
        if (this.indent > column) throw outsideSubset;
        break;
      }
      if (!this.isDashItem(this.pos)) break;
    }
    this.tree = { line, keys: undefined, items };
    return value;
  }

  /**
   * The value after a key's ':' (inMapping) or an item's '-', owned by a node at `ownerColumn`:
   * on the same line, or a block below it, or nothing (null, at the indicator's line).
   */
  private valueAfterIndicator(ownerColumn: number, inMapping: boolean, indicatorLine: number, depth: number): unknown {
    let p = this.pos;
    while (this.code(p) === SPACE) p += 1;
    const c = this.code(p);
    // '#' here always follows a space: an indicator is followed by a space or a line end.
    if (p >= this.s.length || c === NEWLINE || c === HASH) {
      const end = this.s.indexOf('\n', p);
      if (end < 0) this.pos = this.s.length;
      else {
        this.pos = end + 1;
        this.line += 1;
      }
      this.skipToContent();
      if (this.indent > ownerColumn) return this.blockNode(depth + 1);
      if (inMapping && this.indent === ownerColumn && this.isDashItem(this.pos)) return this.blockSequence(ownerColumn, depth + 1);
      this.tree = indicatorLine;
      return null;
    }
    this.pos = p;
    if (!inMapping) {
      if (this.isDashItem(p)) throw outsideSubset;
      if (this.keyEnd(p) >= 0) return this.blockMapping(p - this.lineStart, depth + 1);
    }
    return this.inlineValue(ownerColumn, depth);
  }

  /** A scalar or flow collection on the rest of this line, or a block scalar. */
  private inlineValue(ownerColumn: number, depth: number): unknown {
    const c = this.code(this.pos);
    this.tree = this.line;
    if (c === PIPE || c === GREATER) return this.blockScalar(ownerColumn);
    let value: unknown;
    if (c === OPEN_BRACKET || c === OPEN_BRACE) value = this.flowCollection(depth + 1);
    else if (c === DOUBLE_QUOTE) value = this.string(this.doubleQuoted());
    else if (c === SINGLE_QUOTE) value = this.string(this.singleQuoted());
    else value = this.blockPlain();
    this.endOfLine();
    this.skipToContent();
    return value;
  }

  /**
   * Where a key at `p` ends: the position after its ':' (a ':' followed by a space or the line
   * end), with the key in `keyValue`; -1 when the line holds no key there.
   */
  private keyEnd(p: number): number {
    const s = this.s;
    const c = this.code(p);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const saved = this.pos;
      this.pos = p;
      const text = c === DOUBLE_QUOTE ? this.doubleQuoted() : this.singleQuoted();
      let q = this.pos;
      this.pos = saved;
      if (q - p > maxKeyChars) throw outsideSubset;
      while (this.code(q) === SPACE) q += 1;
      if (this.code(q) !== COLON || !this.endsIndicator(q + 1)) return -1;
      this.keyValue = this.string(text);
      return q + 1;
    }
    if (!plainStart(c, this.code(p + 1))) return -1;
    let q = p;
    for (;;) {
      const ch = this.code(q);
      if (q >= s.length || ch === NEWLINE) return -1;
      if (ch === COLON && this.endsIndicator(q + 1)) break;
      if (ch === SPACE && this.code(q + 1) === HASH) return -1;
      q += 1;
    }
    if (q - p > maxKeyChars) throw outsideSubset;
    let end = q;
    while (this.code(end - 1) === SPACE) end -= 1;
    this.keyValue = this.scalar(coreScalarValue(s.slice(p, end)));
    return q + 1;
  }

  private endsIndicator(p: number): boolean {
    const c = this.code(p);
    return p >= this.s.length || c === SPACE || c === NEWLINE;
  }

  /** A plain scalar in block context, to the line end or a comment; a ': ' in it is a nested mapping (not in the subset). */
  private blockPlain(): unknown {
    const s = this.s;
    const start = this.pos;
    if (!plainStart(this.code(start), this.code(start + 1))) throw outsideSubset;
    let p = start;
    for (;;) {
      const ch = this.code(p);
      if (p >= s.length || ch === NEWLINE) break;
      if (ch === COLON && this.endsIndicator(p + 1)) throw outsideSubset;
      if (ch === SPACE && this.code(p + 1) === HASH) break;
      p += 1;
    }
    let end = p;
    while (this.code(end - 1) === SPACE) end -= 1;
    this.pos = p;
    return this.scalar(coreScalarValue(s.slice(start, end)));
  }

  /** "..." closed on this line, escapes resolved. */
  private doubleQuoted(): string {
    const s = this.s;
    let p = this.pos + 1;
    let text = '';
    let chunk = p;
    for (;;) {
      const c = this.code(p);
      if (p >= s.length || c === NEWLINE) throw outsideSubset;
      if (c === DOUBLE_QUOTE) break;
      if (c === BACKSLASH) {
        text += s.slice(chunk, p);
        const kind = s[p + 1] ?? '';
        const simple = escapes.get(kind);
        if (simple !== undefined) {
          text += simple;
          p += 2;
        } else if (kind === 'x' || kind === 'u' || kind === 'U') {
          const length = kind === 'x' ? 2 : kind === 'u' ? 4 : 8;
          const digits = s.substr(p + 2, length);
          if (digits.length !== length || !hexDigits.test(digits)) throw outsideSubset;
          const codePoint = parseInt(digits, 16);
          if (codePoint > 0x10ffff) throw outsideSubset;
          text += String.fromCodePoint(codePoint);
          p += 2 + length;
        } else throw outsideSubset;
        chunk = p;
        continue;
      }
      p += 1;
    }
    text += s.slice(chunk, p);
    this.pos = p + 1;
    return text;
  }

  /** '...' closed on this line, '' is a quote. */
  private singleQuoted(): string {
    const s = this.s;
    let p = this.pos + 1;
    let text = '';
    let chunk = p;
    for (;;) {
      const c = this.code(p);
      if (p >= s.length || c === NEWLINE) throw outsideSubset;
      if (c === SINGLE_QUOTE) {
        if (this.code(p + 1) !== SINGLE_QUOTE) break;
        text += s.slice(chunk, p + 1);
        p += 2;
        chunk = p;
        continue;
      }
      p += 1;
    }
    text += s.slice(chunk, p);
    this.pos = p + 1;
    return text;
  }

  /**
   * `|` or `>` with an optional chomping indicator (no indentation indicator), its lines indented
   * more than the owner. Folded lines may not be indented further (those keep their breaks); every
   * line must end with a line break.
   */
  private blockScalar(ownerColumn: number): string {
    const s = this.s;
    const folded = this.code(this.pos) === GREATER;
    let p = this.pos + 1;
    let chomping: 'clip' | 'strip' | 'keep' = 'clip';
    if (this.code(p) === DASH) chomping = 'strip';
    else if (this.code(p) === PLUS) chomping = 'keep';
    if (chomping !== 'clip') p += 1;
    this.pos = p;
    this.endOfLine();
    const lines: string[] = [];
    let contentIndent = -1;
    let leadingSpaces = 0;
    while (this.pos < s.length) {
      const start = this.pos;
      let q = start;
      while (this.code(q) === SPACE) q += 1;
      const end = s.indexOf('\n', q);
      if (end < 0) throw outsideSubset; // the last line has no line break: left to the full path
      const spaces = q - start;
      if (q === end) {
        if (contentIndent < 0) leadingSpaces = Math.max(leadingSpaces, spaces);
        else if (spaces > contentIndent) throw outsideSubset;
        lines.push('');
      } else {
        if (contentIndent < 0) {
          if (spaces <= ownerColumn) break;
          contentIndent = spaces;
          if (leadingSpaces > contentIndent) throw outsideSubset;
        }
        if (spaces < contentIndent) break;
        if (folded && spaces > contentIndent) throw outsideSubset;
        lines.push(s.slice(start + contentIndent, end));
      }
      this.pos = end + 1;
      this.line += 1;
    }
    if (contentIndent < 0) throw outsideSubset;
    let last = lines.length - 1;
    while (last >= 0 && lines[last] === '') last -= 1;
    if (last < 0) throw outsideSubset;
    const trailingEmpty = lines.length - 1 - last;
    let body: string;
    if (folded) {
      body = '';
      let breaks = 0;
      let started = false;
      for (let i = 0; i <= last; i += 1) {
        const text = lines[i] ?? '';
        if (text === '') {
          breaks += 1;
          continue;
        }
        body += started && breaks === 0 ? ' ' : '\n'.repeat(breaks);
        body += text;
        started = true;
        breaks = 0;
      }
    } else body = lines.slice(0, last + 1).join('\n');
    const value = chomping === 'strip' ? body : chomping === 'clip' ? `${body}\n` : body + '\n'.repeat(1 + trailingEmpty);
    this.skipToContent();
    return this.string(value);
  }

  /** Spaces inside a flow collection; it must go on on this line. */
  private flowSpaces(): void {
    while (this.code(this.pos) === SPACE) this.pos += 1;
    const c = this.code(this.pos);
    if (this.pos >= this.s.length || c === NEWLINE || c === HASH) throw outsideSubset;
  }

  /** [a, b] or { k: v }, closed on this line (no empty entries, no trailing comma, no implicit pairs). */
  private flowCollection(depth: number): unknown {
    if (depth > maxDepth) throw outsideSubset;
    const line = this.line;
    const open = this.code(this.pos);
    this.pos += 1;
    this.flowSpaces();
    if (open === OPEN_BRACKET) {
      const value: unknown[] = [];
      const items: LineTree[] = [];
      if (this.code(this.pos) !== CLOSE_BRACKET) {
        for (;;) {
          value.push(this.flowValue(depth));
          items.push(this.tree);
          if (this.flowSeparator(CLOSE_BRACKET)) break;
        }
      }
      this.pos += 1;
      this.tree = { line, keys: undefined, items };
      return value;
    }
    const mapping = new MappingBuilder();
    if (this.code(this.pos) !== CLOSE_BRACE) {
      for (;;) {
        const c = this.code(this.pos);
        const key = c === DOUBLE_QUOTE ? this.string(this.doubleQuoted()) : c === SINGLE_QUOTE ? this.string(this.singleQuoted()) : this.flowPlain();
        this.flowSpaces();
        if (this.code(this.pos) !== COLON || this.code(this.pos + 1) !== SPACE) throw outsideSubset;
        this.pos += 2;
        this.flowSpaces();
        const next = this.code(this.pos);
        if (next === COMMA || next === CLOSE_BRACE) throw outsideSubset;
        const value = this.flowValue(depth);
        mapping.add(key, value, this.tree);
        if (this.flowSeparator(CLOSE_BRACE)) break;
      }
    }
    this.pos += 1;
    this.tree = mapping.tree(line);
    return mapping.value;
  }

  /** After an entry: ',' and the next entry (false), or the closing bracket (true, cursor on it). */
  private flowSeparator(close: number): boolean {
    this.flowSpaces();
    const c = this.code(this.pos);
    if (c === close) return true;
    if (c !== COMMA) throw outsideSubset;
    this.pos += 1;
    this.flowSpaces();
    if (this.code(this.pos) === close) throw outsideSubset;
    return false;
  }

  private flowValue(depth: number): unknown {
    const c = this.code(this.pos);
    if (c === OPEN_BRACKET || c === OPEN_BRACE) return this.flowCollection(depth + 1);
    this.tree = this.line;
    if (c === DOUBLE_QUOTE) return this.string(this.doubleQuoted());
    if (c === SINGLE_QUOTE) return this.string(this.singleQuoted());
    return this.flowPlain();
  }

  /** A plain scalar inside a flow collection: up to a flow indicator or a ': '. */
  private flowPlain(): unknown {
    const s = this.s;
    const start = this.pos;
    if (!plainStart(this.code(start), this.code(start + 1))) throw outsideSubset;
    let p = start;
    for (;;) {
      const ch = this.code(p);
      if (p >= s.length || ch === NEWLINE) throw outsideSubset;
      if (isFlowIndicator(ch)) break;
      if (ch === COLON) {
        const next = this.code(p + 1);
        if (next === SPACE || next === NEWLINE || Number.isNaN(next) || isFlowIndicator(next)) break;
      }
      if (ch === SPACE && this.code(p + 1) === HASH) throw outsideSubset;
      p += 1;
    }
    let end = p;
    while (this.code(end - 1) === SPACE) end -= 1;
    this.pos = p;
    return this.scalar(coreScalarValue(s.slice(start, end)));
  }
}

/**
 * The data and lines of `text` when it stays inside the subset and holds nothing the full path
 * would report; undefined otherwise (the caller then uses the full path).
 */
export function parseYamlSubset(text: string, maxStringChars: number): YamlSubsetDocument | undefined {
  const normalized = text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
  if (unusualCharacter.test(normalized)) return undefined;
  try {
    return new SubsetReader(normalized, maxStringChars).document();
  } catch (error) {
    if (error === outsideSubset || error instanceof RangeError) return undefined;
    throw error;
  }
}
