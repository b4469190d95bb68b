/** The CLI's one table renderer (submeter read, submeter ctl). */
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../src/cli/text-table.js';

describe('renderTable', () => {
  it('pads each column but the last to its widest cell, two spaces apart, no trailing blanks', () => {
    const text = renderTable([
      ['id', 'kind', 'left'],
      ['f1', 'no-response', 2],
      ['f10', 'delay', ''],
    ]);
    expect(text.split('\n')).toEqual(['id   kind         left', 'f1   no-response  2', 'f10  delay']);
  });

  it('right-aligns the columns it is told to', () => {
    expect(renderTable([['input', 30001, 'V'], ['holding', 5, 'kWh']], ['left', 'right']).split('\n')).toEqual(['input    30001  V', 'holding      5  kWh']);
  });

  it('renders no rows as the empty string', () => {
    expect(renderTable([])).toBe('');
  });
});
