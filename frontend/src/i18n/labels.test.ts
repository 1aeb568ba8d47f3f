import { describe, expect, it } from 'vitest';
import { OPERATING_STATUSES, OWNERSHIPS } from '../features/enterprises/labels';
import {
  CADRE_POSTS,
  EDUCATION_LEVELS,
  GENDERS,
  MEMBER_EVENTS,
  MEMBER_STATUSES,
  POLITICAL_THEORY,
  TRANSFER_STATUSES,
} from '../features/members/labels';
import { translateError } from './errors';
import { MESSAGES, type MessageKey } from './messages';

// Labels built from API values (`memberStatus.${v}`) escape tsc's key check: check them here.
const GROUPS: [string, readonly string[]][] = [
  ['memberStatus', MEMBER_STATUSES],
  ['gender', GENDERS],
  ['education', EDUCATION_LEVELS],
  ['theory', POLITICAL_THEORY],
  ['post', CADRE_POSTS],
  ['memberEvent', MEMBER_EVENTS],
  ['transferStatus', TRANSFER_STATUSES],
  ['ownership', OWNERSHIPS],
  ['operating', OPERATING_STATUSES],
];

describe('labels of API values', () => {
  it.each(GROUPS)('%s has a label for every value in both languages', (prefix, values) => {
    for (const v of values) {
      const key = `${prefix}.${v}` as MessageKey;
      expect(MESSAGES.vi[key], key).toBeTruthy();
      expect(MESSAGES.en![key], key).toBeTruthy();
    }
  });

  it('has no English string left in Vietnamese for the new screens', () => {
    expect(MESSAGES.vi['members.title']).toBe('Đoàn viên');
    expect(MESSAGES.vi['member.personalId']).toBe('Số định danh cá nhân');
  });
});

describe('member and import error codes', () => {
  it('names the date a member may rejoin from, from the params', () => {
    const server = 'A member who left on 15/09/2025 may rejoin 3 months later, from 15/12/2025.';
    const params = { left: '2025-09-15', earliest: '2025-12-15', months: 3 };
    expect(translateError('vi', 'rejoin_too_soon', server, params)).toBe(
      'Đoàn viên ra khỏi tổ chức ngày 15/09/2025 chỉ được gia nhập lại sau 3 tháng: có thể gia nhập lại từ ngày 15/12/2025.',
    );
    expect(translateError('en', 'rejoin_too_soon', server, params)).toContain('possible from 15/12/2025');
  });

  it('reads whole without params, and never takes dates from the English message', () => {
    expect(translateError('vi', 'rejoin_too_soon', 'A member who left on 15/09/2025 ...')).toBe(
      'Đoàn viên ra khỏi tổ chức chỉ được gia nhập lại sau 3 tháng.',
    );
  });

  it.each(['personal_id_invalid_format', 'file_type_unsupported', 'header_not_found', 'import_has_errors', 'transfer_pending', 'enterprise_has_union'])(
    '%s reads in Vietnamese',
    (code) => {
      expect(translateError('vi', code, 'fallback')).not.toBe('fallback');
    },
  );
});
