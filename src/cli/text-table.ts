/**
 * The CLI's one table renderer: columns padded to their widest cell and separated by two spaces,
 * left-aligned unless told otherwise; the last column is not padded unless right-aligned and lines carry no trailing
 * blanks. Used by `submeter read` and `submeter ctl`.
 */
export type ColumnAlign = 'left' | 'right';

export function renderTable(rows: readonly (readonly (string | number)[])[], align: readonly ColumnAlign[] = []): string {
  const cells = rows.map((row) => row.map((cell) => String(cell)));
  const columns = Math.max(0, ...cells.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(0, ...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => {
          if (column === columns - 1 && align[column] !== 'right') return cell;
          const width = widths[column] ?? 0;
          return align[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
