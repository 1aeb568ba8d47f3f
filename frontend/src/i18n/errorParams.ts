/** The values an API error's message names (`params`), formatted for one language. */
import type { components } from '../client/schema';
import { formatDate, formatNumber } from '../lib/format';
import type { Lang } from './lang';
import { MESSAGES, type MessageKey } from './messages';

/** Every code the API can answer (generated from the backend's ErrorCode enum). */
export type ErrorCode = components['schemas']['ErrorCode'];
/** Codes the web app gives itself when there is no server answer. */
export type ClientErrorCode = 'network_error';
export type AnyErrorCode = ErrorCode | ClientErrorCode;

export type ErrorParamValue = string | number | boolean | null | undefined;
export type ErrorParams = Readonly<Record<string, ErrorParamValue>>;

/** A catalog entry: fixed text, or text built from the error's params. */
export type ErrorText = string | ((p: Params) => string);

const LOCALES: Record<Lang, string> = { vi: 'vi-VN', en: 'en-US' };

export class Params {
  constructor(
    private readonly raw: ErrorParams,
    readonly lang: Lang,
  ) {}

  has(key: string): boolean {
    const v = this.raw[key];
    return v !== null && v !== undefined && v !== '';
  }

  /** The param as text; empty when absent. */
  text(key: string): string {
    return this.has(key) ? String(this.raw[key]) : '';
  }

  /** A number as the language groups it (vi-VN: 200.000); other values as they are. */
  num(key: string): string {
    const v = this.raw[key];
    if (typeof v === 'number') return formatNumber(v, LOCALES[this.lang]);
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return formatNumber(Number(v), LOCALES[this.lang]);
    return this.text(key);
  }

  /** A share (0.2) as a percentage in the language's format ("20%"); other values as they are. */
  percent(key: string): string {
    const v = Number(this.raw[key]);
    if (!this.has(key) || Number.isNaN(v)) return this.text(key);
    return `${formatNumber(Math.round(v * 1000) / 10, LOCALES[this.lang])}%`;
  }

  /** An ISO date as dd/mm/yyyy; other values as they are. */
  date(key: string): string {
    const v = this.text(key);
    return formatDate(v) || v;
  }

  /** ` "0791234"`: the offending value, quoted, with a leading space; empty when absent. */
  q(key = 'value'): string {
    return this.has(key) ? ` "${this.text(key)}"` : '';
  }

  /** `template` with `{}` replaced by the param, or nothing when the param is absent. */
  opt(key: string, template: string, kind: 'text' | 'num' | 'date' | 'percent' = 'text'): string {
    if (!this.has(key)) return '';
    const value =
      kind === 'num' ? this.num(key) : kind === 'date' ? this.date(key) : kind === 'percent' ? this.percent(key) : this.text(key);
    return template.replace('{}', value);
  }

  /** The UI label of an API value, e.g. label('memberStatus', 'status') -> "Đã ra khỏi tổ chức". */
  label(prefix: string, key: string): string {
    const value = this.text(key);
    if (!value) return '';
    return (MESSAGES[this.lang] ?? MESSAGES.vi)[`${prefix}.${value}` as MessageKey] ?? value;
  }
}
