/**
 * A minimal DER reader: just enough of X.690 to walk a certificate's extensions (tag, length,
 * content bounds; OIDs to dotted text). Throws a RangeError on a truncated or malformed element.
 */
export interface DerElement {
  /** The identifier octet (0x30 SEQUENCE, 0x06 OID, 0x04 OCTET STRING, 0xa3 [3] ...). */
  tag: number;
  /** First content byte. */
  start: number;
  /** One past the last content byte. */
  end: number;
}

export function readDer(data: Uint8Array, offset: number, limit = data.length): DerElement {
  if (offset + 2 > limit) throw new RangeError(`DER: element at ${offset} is truncated`);
  const tag = data[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) throw new RangeError(`DER: multi-byte tags are not supported (at ${offset})`);
  let lengthByte = data[offset + 1] ?? 0;
  let start = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const octets = lengthByte & 0x7f;
    if (octets === 0 || octets > 4) throw new RangeError(`DER: unsupported length form at ${offset}`);
    if (start + octets > limit) throw new RangeError(`DER: length at ${offset} is truncated`);
    length = 0;
    for (let i = 0; i < octets; i += 1) {
      lengthByte = data[start + i] ?? 0;
      length = length * 256 + lengthByte;
    }
    start += octets;
  }
  const end = start + length;
  if (end > limit) throw new RangeError(`DER: element at ${offset} runs past its container`);
  return { tag, start, end };
}

/** The elements directly inside a constructed element. */
export function derChildren(data: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  let offset = parent.start;
  while (offset < parent.end) {
    const child = readDer(data, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** An OBJECT IDENTIFIER's content as dotted text ("1.3.6.1.4.1.50316.802.1"). */
export function derOid(data: Uint8Array, element: DerElement): string {
  const parts: number[] = [];
  let value = 0;
  for (let i = element.start; i < element.end; i += 1) {
    const byte = data[i] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else {
        parts.push(value);
      }
      value = 0;
    }
  }
  return parts.join('.');
}
