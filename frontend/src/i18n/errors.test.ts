import { describe, expect, it } from 'vitest';
import schema from '../../openapi.json';
import { ERROR_MESSAGES, translateError, type AnyErrorCode } from './errors';
import type { ErrorParams } from './errorParams';
import type { Lang } from './lang';

// Every code the API publishes (the backend's ErrorCode enum, from the committed OpenAPI).
const API_CODES: string[] = schema.components.schemas.ErrorCode.enum;
const CODES: AnyErrorCode[] = [...(API_CODES as AnyErrorCode[]), 'network_error'];
const LANGS: Lang[] = ['vi', 'en'];
const DETAIL = 'The English detail the server sent.';

// Params in every shape a message may read: ISO dates, numbers, text. A Proxy answers any name,
// so each optional part of every message is rendered.
const ANY_PARAM: ErrorParams = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? '2026-03-01' : undefined) });
const NUMBERS: ErrorParams = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? 1250 : undefined) });
const NONE: ErrorParams = {};

describe('the error catalog', () => {
  it('reads the ErrorCode enum from the OpenAPI document', () => {
    expect(API_CODES.length).toBeGreaterThan(100);
    expect(API_CODES).toContain('before_target_founded');
  });

  it.each(LANGS)('has a text for every code in %s', (lang) => {
    expect(Object.keys(ERROR_MESSAGES[lang]!).sort()).toEqual([...CODES].sort());
  });

  describe.each(LANGS)('%s', (lang) => {
    it.each(CODES)('%s renders with and without params', (code) => {
      for (const params of [NONE, ANY_PARAM, NUMBERS]) {
        const text = translateError(lang, code, DETAIL, params);
        expect(text.trim(), code).not.toBe('');
        expect(text, code).not.toBe(DETAIL);
        expect(text, code).not.toMatch(/undefined|null|NaN|\[object|\{/);
      }
    });
  });

  it('never shows Vietnamese users an English message', () => {
    for (const code of CODES) {
      const vi = translateError('vi', code, DETAIL, ANY_PARAM);
      // Every Vietnamese sentence here has a letter outside ASCII; the English ones have none.
      expect([...vi].some((ch) => ch.charCodeAt(0) > 127), code).toBe(true);
      expect(vi, code).not.toBe(translateError('en', code, DETAIL, ANY_PARAM));
    }
  });

  it('formats dates as dd/mm/yyyy and numbers the Vietnamese way', () => {
    expect(translateError('vi', 'before_target_founded', DETAIL, { founded: '2026-03-01' })).toBe(
      'Ngày này sớm hơn ngày thành lập của đơn vị nhận sáp nhập (01/03/2026).',
    );
    expect(translateError('vi', 'too_many_rows', DETAIL, { max: 200000 })).toBe(
      'Tệp có quá nhiều dòng (tối đa 200.000 dòng); hãy chia nhỏ tệp.',
    );
    expect(translateError('en', 'too_many_rows', DETAIL, { max: 200000 })).toBe(
      'The file has too many rows (200,000 at most); split it.',
    );
    expect(translateError('vi', 'date_before_member_change', DETAIL, { earliest: '2026-02-10' })).toContain('10/02/2026');
    expect(translateError('vi', 'malformed_body', DETAIL)).toBe('Không đọc được dữ liệu gửi lên.');
    expect(
      translateError('vi', 'quota_exceeded', DETAIL, { level: 'excellent', max_share: 0.2, count: 2, base: 6 }),
    ).toBe('Vượt tỷ lệ cho phép xếp loại «excellent» (tối đa 20%): sẽ thành 2 trên 6 đơn vị.');
  });

  it('quotes the value the user typed', () => {
    expect(translateError('vi', 'personal_id_invalid_format', DETAIL, { value: '0791234' })).toBe(
      'Số định danh cá nhân "0791234" phải gồm đúng 12 chữ số.',
    );
  });
});
