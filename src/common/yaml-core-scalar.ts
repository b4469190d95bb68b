/**
 * What an unquoted (plain) YAML scalar means under the YAML 1.2 core schema, exactly as the yaml
 * package resolves it (its core tags, tried in its order): null, booleans, integers (decimal,
 * 0o octal, 0x hex), floats (.inf, .nan, exponents), otherwise the text itself.
 */

const nullText = /^(?:~|[Nn]ull|NULL)?$/;
const boolText = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const octalInt = /^0o[0-7]+$/;
const decimalInt = /^[-+]?[0-9]+$/;
const hexInt = /^0x[0-9a-fA-F]+$/;
const infinityOrNaN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const exponentFloat = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const pointFloat = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** True when a scalar starting with this character code can only be a string (a letter no null, bool or number begins with). */
function onlyText(first: number): boolean {
  const letter = (first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a);
  // n/N (null), t/T (true), f/F (false) may begin something else than a string.
  return letter && first !== 0x6e && first !== 0x4e && first !== 0x74 && first !== 0x54 && first !== 0x66 && first !== 0x46;
}

/** True when the text is digits only (the common integer, read without a regular expression). */
function onlyDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

export function coreScalarValue(text: string): unknown {
  if (text.length > 0 && onlyText(text.charCodeAt(0))) return text;
  if (onlyDigits(text)) return parseInt(text, 10);
  if (nullText.test(text)) return null;
  if (boolText.test(text)) return text[0] === 't' || text[0] === 'T';
  if (octalInt.test(text)) return parseInt(text.substring(2), 8);
  if (decimalInt.test(text)) return parseInt(text, 10);
  if (hexInt.test(text)) return parseInt(text.substring(2), 16);
  if (infinityOrNaN.test(text)) {
    if (text.slice(-3).toLowerCase() === 'nan') return Number.NaN;
    return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (exponentFloat.test(text) || pointFloat.test(text)) return parseFloat(text);
  return text;
}
