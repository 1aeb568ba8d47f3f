import { describe, expect, it } from 'vitest';
import { translateError, type AnyErrorCode, type ErrorParams } from '../i18n/errors';
import { ApiError, fieldPath, mapProblemToForm, toApiError, type ProblemBody } from './problem';

const vi = (code: string, fallback: string, params?: ErrorParams | null) => translateError('vi', code, fallback, params);
const en = (code: string, fallback: string, params?: ErrorParams | null) => translateError('en', code, fallback, params);

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
      { name: ['founded_on'], errors: ['Ngày này không được sau ngày hôm nay.'] },
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

  it('never shows the English server message for a code it does not know', () => {
    // A newer server may answer a code this build has no text for.
    const code = 'brand_new_rule' as AnyErrorCode;
    const problem: ProblemBody = {
      status: 422,
      code: 'validation_error',
      errors: [{ field: 'name', code, message: 'Server says no.', params: { value: 'Xy' } }],
    };
    expect(mapProblemToForm(problem, ['name'], vi).fields[0].errors).toEqual(['Giá trị "Xy" không hợp lệ.']);
    expect(mapProblemToForm(problem, ['name'], en).fields[0].errors).toEqual(['Server says no.']);
  });

  it('renders field params: the offending value and the limits', () => {
    const problem: ProblemBody = {
      status: 422,
      code: 'validation_error',
      errors: [
        { field: 'personal_id', code: 'personal_id_invalid_format', message: 'x', params: { value: '0791234' } },
        { field: 'total_workers', code: 'too_large', message: 'x', params: { value: '2000000', max: 1000000 } },
      ],
    };
    expect(mapProblemToForm(problem, ['personal_id', 'total_workers'], vi).fields).toEqual([
      { name: ['personal_id'], errors: ['Số định danh cá nhân "0791234" phải gồm đúng 12 chữ số.'] },
      { name: ['total_workers'], errors: ['Giá trị "2000000" quá lớn (tối đa 1.000.000).'] },
    ]);
  });

  it('wraps network failures', () => {
    const err = toApiError(new TypeError('Failed to fetch'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('network_error');
  });
});

describe('error code translations', () => {
  it('formats the dates of the params, not of the server message', () => {
    expect(
      translateError('vi', 'date_before_last_change', 'The effective date cannot be before 01/07/2025, ...', {
        value: '2025-06-01',
        earliest: '2025-07-01',
      }),
    ).toBe('Ngày hiệu lực không được trước ngày 01/07/2025, ngày thay đổi gần nhất đã ghi nhận.');
    expect(
      translateError('vi', 'rejoin_too_soon', 'A member who left on 15/09/2025 ...', {
        left: '2025-09-15',
        earliest: '2025-12-15',
        months: 3,
      }),
    ).toBe('Đoàn viên ra khỏi tổ chức ngày 15/09/2025 chỉ được gia nhập lại sau 3 tháng: có thể gia nhập lại từ ngày 15/12/2025.');
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
