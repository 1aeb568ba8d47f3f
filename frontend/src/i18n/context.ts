import { createContext, useContext } from 'react';
import type { AnyErrorCode, ErrorParams } from './errorParams';
import type { Lang } from './lang';
import type { MessageKey } from './messages';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** A UI string; "{name}" placeholders take `vars`. */
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** An API error in the current language, from its code and params (`fallback`: the server's
   * English message, shown only in English for a code this build does not know). */
  te: (code: AnyErrorCode, fallback: string, params?: ErrorParams | null) => string;
}

export const I18nContext = createContext<I18n | null>(null);

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
