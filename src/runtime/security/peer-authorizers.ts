/**
 * The role table bound to one endpoint's units: a TlsPeer -> RequestAuthorizer function for the
 * Modbus/TCP Security server. One RoleAuthorizer per role, built on first use and shared by every
 * connection with that role; a peer without a role gets the default role, or refuseEverything.
 */
import { refuseEverything, type RequestAuthorizer } from '../../modbus/request-authorizer.js';
import type { TlsPeer } from '../../modbus/tls/tls-peer.js';
import { RoleAuthorizer, type UnitWriteTargets } from './role-authorizer.js';
import type { RoleTable } from './role-table.js';

export function peerAuthorizers(
  roles: RoleTable,
  units: ReadonlyMap<number, UnitWriteTargets>,
  defaultRole: string | undefined,
): (peer: TlsPeer) => RequestAuthorizer {
  const built = new Map<string, RequestAuthorizer>();
  return (peer) => {
    const role = peer.role ?? defaultRole;
    if (role === undefined) return refuseEverything;
    let authorizer = built.get(role);
    if (authorizer === undefined) {
      const rights = Object.hasOwn(roles, role) ? roles[role] : undefined;
      authorizer = rights === undefined ? refuseEverything : new RoleAuthorizer(rights, units);
      built.set(role, authorizer);
    }
    return authorizer;
  };
}
