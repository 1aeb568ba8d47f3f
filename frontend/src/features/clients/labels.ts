import type { MessageKey } from '../../i18n/messages';
import type { ClientPermission } from './api';

export const CLIENT_PERMISSIONS: ClientPermission[] = [
  'unions:read',
  'members:read',
  'enterprises:read',
  'evaluations:read',
  'members:pii',
  'unions:write',
  'members:write',
  'enterprises:write',
];

export function permissionLabel(t: (k: MessageKey) => string, p: ClientPermission): string {
  return t(`clients.perm.${p}` as MessageKey);
}
