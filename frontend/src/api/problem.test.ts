import { describe, expect, it } from 'vitest';
import { translateError } from '../i18n/errors';
import { ApiError, fieldPath, mapProblemToForm, toApiError, type ProblemBody } from './problem';

const vi = (code: string, fallback: string) => translateError('vi', code, fallback);

describe('problem+json -> form fields', () => {
  it('puts each error beside its field, translated from its code', () => {
    const problem: ProblemBody = {
      status: 422,
      code: 'validation_error',
      errors: [
        { field: 'code', in: 'body', code: 'code_taken', message: 'The code TG-01 is already in use.' },
        { field: 'founded_on', in: 'body', code: 'date_in_future', message: 'The effective date cannot be in the future.' },
      ],
    };
    const mapped = mapProblemToForm(problem, ['code', 'name', 'founded_on'], vi);
    expect(mapped.fields).toEqual([
      { name: ['code'], errors: ['Mã này đã được sử dụng.'] },
      { name: ['founded_on'], errors: ['Ngày hiệu lực không được sau ngày hôm nay.'] },
    ]);
    expect(mapped.general).toEqual([]);
  });

  it('keeps errors of fields the form does not have for the general alert', () => {
    const problem: ProblemBody = {
      status: 422,
      code: 'validation_error',
      errors: [{ field: 'If-Match', in: 'header', code: 'invalid_etag', message: 'If-Match must be an ETag like "3".' }],
    };
    const mapped = mapProblemToForm(problem, ['name'], vi);
    expect(mapped.fields).toEqual([]);
    expect(mapped.general).toEqual(['Phiên bản dữ liệu gửi kèm không hợp lệ.']);
  });

  it('maps nested paths and aliases', () => {
    expect(fieldPath('roles.0.union_id')).toEqual(['roles', 0, 'union_id']);
    const problem: ProblemBody = {
      status: 422,
      code: 'validation_error',
      errors: [{ field: 'roles.0.role', code: 'invalid_choice', message: 'bad' }],
    };
    const mapped = mapProblemToForm(problem, ['role'], vi, { 'roles.0.role': 'role' });
    expect(mapped.fields).toEqual([{ name: ['role'], errors: ['Giá trị không nằm trong danh sách cho phép.'] }]);
  });

  it('uses the problem code when there are no field errors', () => {
    const mapped = mapProblemToForm({ status: 412, code: 'version_mismatch', detail: 'stale' }, ['name'], vi);
    expect(mapped.general).toEqual(['Dữ liệu vừa được người khác thay đổi. Hãy tải lại trang rồi thực hiện lại.']);
  });

  it('falls back to the server message for an unknown code', () => {
    const mapped = mapProblemToForm(
      { status: 422, code: 'validation_error', errors: [{ field: 'name', code: 'brand_new_rule', message: 'Server says no.' }] },
      ['name'],
      vi,
    );
    expect(mapped.fields[0].errors).toEqual(['Server says no.']);
  });

  it('wraps network failures', () => {
    const err = toApiError(new TypeError('Failed to fetch'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('network_error');
  });
});

describe('error code translations', () => {
  it('carries the date from the server message', () => {
    expect(
      translateError('vi', 'date_before_last_change', 'The effective date cannot be before 01/07/2025, the date of ...'),
    ).toBe('Ngày hiệu lực không được trước 01/07/2025, ngày thay đổi gần nhất của đơn vị.');
  });
  it('speaks English when switched', () => {
    expect(translateError('en', 'invalid_credentials', 'x')).toBe('Wrong username or password.');
  });
  it('has Vietnamese for the member and enterprise codes', () => {
    for (const code of ['personal_id_invalid_format', 'personal_id_year_mismatch', 'phone_invalid', 'tax_code_check_digit']) {
      expect(translateError('vi', code, 'fallback')).not.toBe('fallback');
    }
  });
});
