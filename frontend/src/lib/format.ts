import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/vi';
import 'dayjs/locale/en';

dayjs.extend(customParseFormat);
dayjs.extend(utc);

export const DATE_FORMAT = 'DD/MM/YYYY';
export const DATETIME_FORMAT = 'DD/MM/YYYY HH:mm';
/** The API's date format (ISO 8601 calendar date). */
export const API_DATE = 'YYYY-MM-DD';

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string): Intl.NumberFormat {
  let nf = numberFormats.get(locale);
  if (!nf) {
    nf = new Intl.NumberFormat(locale);
    numberFormats.set(locale, nf);
  }
  return nf;
}

/** 109760 -> "109.760" (vi-VN groups thousands with a dot). Empty for null/undefined. */
export function formatNumber(value: number | null | undefined, locale = 'vi-VN'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  return numberFormat(locale).format(value);
}

/** "2023-12-31" (or a Dayjs) -> "31/12/2023". Empty for missing or invalid values. */
export function formatDate(value: string | Dayjs | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? dayjs(value, API_DATE, true) : value;
  return d.isValid() ? d.format(DATE_FORMAT) : '';
}

/** An ISO instant from the API -> local "31/12/2023 14:05". */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.format(DATETIME_FORMAT) : '';
}

/** "31/12/2023" -> "2023-12-31"; null when the text is not a real dd/mm/yyyy date. */
export function parseDisplayDate(text: string): string | null {
  const d = dayjs(text.trim(), DATE_FORMAT, true);
  return d.isValid() ? d.format(API_DATE) : null;
}

/** A Dayjs from a date picker -> "2023-12-31" for the API. */
export function toApiDate(value: Dayjs | null | undefined): string | undefined {
  return value && value.isValid() ? value.format(API_DATE) : undefined;
}

export function fromApiDate(value: string | null | undefined): Dayjs | undefined {
  if (!value) return undefined;
  const d = dayjs(value, API_DATE, true);
  return d.isValid() ? d : undefined;
}

export { dayjs };
