import type { Schemas } from '../../api/client';
import type { I18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';

export type Ownership = Schemas['Ownership'];
export type OperatingStatus = Schemas['OperatingStatus'];

type T = I18n['t'];

export const OWNERSHIPS: Ownership[] = ['state', 'non_state_domestic', 'fdi', 'cooperative'];
export const OPERATING_STATUSES: OperatingStatus[] = ['operating', 'suspended', 'dissolved'];
export const OPERATING_COLOR: Record<OperatingStatus, string> = { operating: 'green', suspended: 'orange', dissolved: 'default' };
/** An enterprise with at least this many workers and no union is a founding target. */
export const FOUNDING_MIN_WORKERS = 20;

export const ownershipLabel = (t: T, v: string) => t(`ownership.${v}` as MessageKey);
export const operatingLabel = (t: T, v: string) => t(`operating.${v}` as MessageKey);
