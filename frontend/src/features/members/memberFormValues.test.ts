import { describe, expect, it } from 'vitest';
import { dayjs } from '../../lib/format';
import type { MemberRead } from './api';
import { memberChanges, toValues } from './memberFormValues';

const member: MemberRead = {
  id: 'm1',
  full_name: 'Nguyễn Thị Hiền',
  date_of_birth: '1982-12-05',
  gender: 'female',
  ethnicity: 'Kinh',
  nationality: 'VN',
  personal_id: '082182001234',
  passport_no: null,
  phone: '0912345678',
  email: null,
  commune_code: null,
  education_level: 'university',
  professional_qualification: null,
  political_theory: null,
  occupation: 'Kế toán',
  enterprise_id: null,
  enterprise_name: null,
  party_member: false,
  admission_date: '2010-03-01',
  admitted_by_union_id: null,
  card_number: 'CD0000000586',
  union_id: 'u1',
  union_code: 'TG-MT-0005',
  union_name: 'CĐCS',
  status: 'active',
  status_since: '2010-03-01',
  trainings: [],
  is_cadre: false,
  pii_masked: false,
  version: 4,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

describe('member edit: only what changed is sent', () => {
  it('sends nothing for an untouched form', () => {
    expect(memberChanges(member, toValues(member))).toEqual({});
  });

  it('sends the changed fields, with blanks as null', () => {
    const values = { ...toValues(member), occupation: '  ', email: 'hien@example.vn', date_of_birth: dayjs('1982-12-06') };
    expect(memberChanges(member, values)).toEqual({ occupation: null, email: 'hien@example.vn', date_of_birth: '1982-12-06' });
  });

  it('never sends masked numbers back', () => {
    const masked = { ...member, pii_masked: true, personal_id: '*********234', phone: '*******678', email: 'h***@example.vn' };
    const values = { ...toValues(masked), personal_id: '*********999', email: 'x***@example.vn', occupation: 'Thủ quỹ' };
    expect(memberChanges(masked, values)).toEqual({ occupation: 'Thủ quỹ' });
  });
});
