/**
 * Languages other than Vietnamese are loaded on demand: the first page (sign-in) downloads only
 * the Vietnamese catalogs. Until English has arrived, every string falls back to Vietnamese.
 */
import { ERROR_MESSAGES } from './errors';
import type { Lang } from './lang';
import { MESSAGES } from './messages';

let english: Promise<void> | null = null;

export function languageReady(lang: Lang): boolean {
  return lang === 'vi' || (MESSAGES.en !== null && ERROR_MESSAGES.en !== null);
}

export function loadLanguage(lang: Lang): Promise<void> {
  if (languageReady(lang)) return Promise.resolve();
  english ??= Promise.all([import('./messages.en'), import('./strings/errors.en')]).then(([messages, errors]) => {
    MESSAGES.en = messages.en;
    ERROR_MESSAGES.en = errors.en;
  });
  return english;
}

let screens: Promise<void> | null = null;
let screensIn = false;

/** Whether the Vietnamese strings of the signed-in screens are in (messages.screens.ts). */
export function screenStringsReady(): boolean {
  return screensIn;
}

/** Adds the signed-in screens' Vietnamese strings to the catalog (once). */
export function loadScreenStrings(): Promise<void> {
  screens ??= import('./messages.screens').then(({ screens: strings }) => {
    Object.assign(MESSAGES.vi, strings);
    screensIn = true;
  });
  return screens;
}
