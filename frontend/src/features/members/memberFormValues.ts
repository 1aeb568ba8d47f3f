import type { Dayjs } from 'dayjs';
import { fromApiDate, toApiDate } from '../../lib/format';
import type { MemberRead, MemberUpdate } from './api';

export interface Values {
  full_name: string;
  date_of_birth?: Dayjs;
  gender?: MemberRead['gender'];
  nationality: string;
  personal_id?: string;
  passport_no?: string;
  ethnicity?: string;
  phone?: string;
  email?: string;
  commune_code?: string | null;
  professional_qualification?: string;
  occupation?: string;
  enterprise_id?: string;
  party_member: boolean;
  union_id?: string;
  admission_date?: Dayjs;
  card_number?: string;
}

export const MEMBER_FORM_FIELDS = [
  'full_name', 'date_of_birth', 'gender', 'nationality', 'personal_id', 'passport_no', 'ethnicity', 'phone', 'email',
  'commune_code', 'professional_qualification', 'occupation', 'enterprise_id',
  'party_member', 'union_id', 'admission_date', 'card_number', 'admitted_by_union_id',
] as const;
export const PII = ['personal_id', 'passport_no', 'phone', 'email'] as const;
// The deciding union is not on the form: its errors belong beside the member's union.
export const ALIASES = { admitted_by_union_id: 'union_id' };

export const text = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);

export function toValues(m: MemberRead): Values {
  return {
    full_name: m.full_name,
    date_of_birth: fromApiDate(m.date_of_birth),
    gender: m.gender,
    nationality: m.nationality,
    personal_id: m.personal_id ?? undefined,
    passport_no: m.passport_no ?? undefined,
    ethnicity: m.ethnicity ?? undefined,
    phone: m.phone ?? undefined,
    email: m.email ?? undefined,
    commune_code: m.commune_code ?? undefined,
    professional_qualification: m.professional_qualification ?? undefined,
    occupation: m.occupation ?? undefined,
    enterprise_id: m.enterprise_id ?? undefined,
    party_member: m.party_member,
  };
}

/** The fields of the form as the API takes them (blank text is null). */
export function toBody(v: Values) {
  return {
    full_name: v.full_name?.trim() ?? '',
    date_of_birth: toApiDate(v.date_of_birth) ?? '',
    gender: v.gender!,
    nationality: (v.nationality || 'VN').trim().toUpperCase(),
    personal_id: text(v.personal_id),
    passport_no: text(v.passport_no),
    ethnicity: text(v.ethnicity),
    phone: text(v.phone),
    email: text(v.email),
    commune_code: text(v.commune_code),
    professional_qualification: text(v.professional_qualification),
    occupation: text(v.occupation),
    enterprise_id: v.enterprise_id ?? null,
    party_member: Boolean(v.party_member),
  };
}

/** Only what changed, so a concurrent edit of another field is not overwritten. */
export function memberChanges(before: MemberRead, values: Values): MemberUpdate {
  const now = toBody(values);
  const was = toBody(toValues(before));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(now)) {
    if (before.pii_masked && (PII as readonly string[]).includes(k)) continue; // masked: never sent back
    if (JSON.stringify(v) !== JSON.stringify(was[k as keyof typeof was])) out[k] = v;
  }
  return out as MemberUpdate;
}

