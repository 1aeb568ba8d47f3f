import type { Schemas } from '../../api/client';
import type { I18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { allOf } from '../../lib/enums';

export type Ownership = Schemas['Ownership'];
export type OperatingStatus = Schemas['OperatingStatus'];

type T = I18n['t'];

export const OWNERSHIPS = allOf<Ownership>({ state: true, non_state_domestic: true, fdi: true, cooperative: true });
export const OPERATING_STATUSES = allOf<OperatingStatus>({ operating: true, suspended: true, dissolved: true });
export const OPERATING_COLOR: Record<OperatingStatus, string> = { operating: 'green', suspended: 'orange', dissolved: 'default' };
/** An enterprise with at least this many workers and no union is a founding target. */
export const FOUNDING_MIN_WORKERS = 20;

export const ownershipLabel = (t: T, v: string) => t(`ownership.${v}` as MessageKey);
export const operatingLabel = (t: T, v: string) => t(`operating.${v}` as MessageKey);
