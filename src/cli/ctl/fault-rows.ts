/** Active communication faults as a table (`ctl faults`, `ctl fault`). */
import type { ControlResponse } from '../../control/http/control-client.js';
import { renderTable } from '../text-table.js';

const pairs = (fields: object): string =>
  Object.entries(fields)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

export function faultRows(faults: ControlResponse<'listFaults'>['faults']): string {
  if (faults.length === 0) return 'no active faults';
  return renderTable([
    ['id', 'kind', 'scope', 'parameters', 'fired', 'left'],
    ...faults.map((f) => {
      const { kind, scope, ...rest } = f.spec;
      return [f.id, kind, scope === undefined ? 'everywhere' : pairs(scope), pairs(rest), f.fired, f.remaining ?? '-'];
    }),
  ]);
}
