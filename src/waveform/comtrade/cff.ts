/**
 * The single-file COMTRADE (.cff, C37.111-2013): sections introduced by lines
 *   --- file type: CFG ---
 *   --- file type: INF ---
 *   --- file type: HDR ---
 *   --- file type: DAT ASCII ---            (text to the end of the file)
 *   --- file type: DAT BINARY: <bytes> ---  (BINARY, BINARY32, FLOAT32: exactly <bytes> bytes follow)
 * Markers are found on a latin1 view of the bytes (one character per byte, so offsets are byte offsets).
 */
import { decodeText } from '../text-decoding.js';
import { WaveformFileError } from '../waveform-file-error.js';

export interface CffSections {
  cfg: { text: string; encoding: 'utf-8' | 'latin1'; firstLine: number };
  inf: string | undefined;
  hdr: string | undefined;
  dat: { kind: string; bytes: Uint8Array; firstLine: number };
}

const MARKER = /^---\s*file type:\s*([A-Za-z]+)(?:\s+([A-Za-z0-9]+))?\s*(?::\s*(\d+))?\s*---\s*$/i;

export function splitCff(bytes: Uint8Array, file: string): CffSections {
  const latin = new TextDecoder('latin1').decode(bytes);
  const markers: { type: string; kind: string; size: number | undefined; start: number; end: number; line: number }[] = [];
  let position = 0;
  let lineNumber = 1;
  while (position < latin.length) {
    const newline = latin.indexOf('\n', position);
    const lineEnd = newline === -1 ? latin.length : newline;
    const line = latin.slice(position, lineEnd).replace(/\r$/, '');
    const match = MARKER.exec(line);
    const next = newline === -1 ? latin.length : newline + 1;
    if (match !== null) {
      const type = (match[1] ?? '').toUpperCase();
      const size = match[3] === undefined ? undefined : Number(match[3]);
      markers.push({ type, kind: (match[2] ?? '').toUpperCase(), size, start: next, end: latin.length, line: lineNumber });
      const previous = markers[markers.length - 2];
      if (previous !== undefined) previous.end = position;
      if (type === 'DAT' && size !== undefined) {
        // Binary data: skip exactly `size` bytes; nothing after it is parsed as markers.
        const last = markers[markers.length - 1];
        if (last !== undefined) last.end = Math.min(latin.length, next + size);
        if (next + size > latin.length) {
          throw new WaveformFileError(file, lineNumber, 'DAT byte count', `declares ${size} bytes but only ${latin.length - next} follow`);
        }
        break;
      }
    }
    position = next;
    lineNumber += 1;
  }
  const find = (type: string): (typeof markers)[number] | undefined => markers.find((m) => m.type === type);
  const cfg = find('CFG');
  const dat = find('DAT');
  if (cfg === undefined) throw new WaveformFileError(file, undefined, 'CFG section', 'no "--- file type: CFG ---" section');
  if (dat === undefined) throw new WaveformFileError(file, undefined, 'DAT section', 'no "--- file type: DAT ... ---" section');
  const text = (m: (typeof markers)[number] | undefined): string | undefined =>
    m === undefined ? undefined : decodeText(bytes.subarray(m.start, m.end)).text;
  const cfgDecoded = decodeText(bytes.subarray(cfg.start, cfg.end));
  return {
    cfg: { text: cfgDecoded.text, encoding: cfgDecoded.encoding, firstLine: cfg.line + 1 },
    inf: text(find('INF')),
    hdr: text(find('HDR')),
    dat: { kind: dat.kind, bytes: bytes.subarray(dat.start, dat.end), firstLine: dat.line + 1 },
  };
}
