/**
 * API errors in the user's language, from the problem's `code` and `params` (never from the
 * server's English `detail`). The catalog (strings/errors.ts) is typed Record<AnyErrorCode, ...>
 * on the generated ErrorCode union, so a code without a text fails tsc.
 */
import { Params, type AnyErrorCode, type ErrorParams, type ErrorText } from './errorParams';
import type { Lang } from './lang';
import { vi } from './strings/errors';

export type { AnyErrorCode, ClientErrorCode, ErrorCode, ErrorParams } from './errorParams';

/** Vietnamese always; English once loaded (i18n/load.ts), Vietnamese until then. */
export const ERROR_MESSAGES: { vi: Record<AnyErrorCode, ErrorText>; en: Record<AnyErrorCode, ErrorText> | null } = {
  vi,
  en: null,
};

export function isErrorCode(code: string): code is AnyErrorCode {
  return Object.prototype.hasOwnProperty.call(vi, code);
}

/**
 * The user-facing text of an API error. A code this build does not know (a newer server) reads as
 * "invalid value" in Vietnamese, never as the server's English; in English the server's message
 * is shown.
 */
export function translateError(lang: Lang, code: string, fallback: string, params?: ErrorParams | null): string {
  const table = ERROR_MESSAGES[lang] ?? ERROR_MESSAGES.vi;
  if (!isErrorCode(code) && lang === 'en' && fallback) return fallback;
  const text = table[isErrorCode(code) ? code : 'invalid'];
  return typeof text === 'string' ? text : text(new Params(params ?? {}, lang));
}
