import { createContext, useContext } from 'react';
import type { Lang } from './lang';
import type { MessageKey } from './messages';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** A UI string; "{name}" placeholders take `vars`. */
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** An API error code in the current language, or `fallback` (the server's message). */
  te: (code: string, fallback: string) => string;
}

export const I18nContext = createContext<I18n | null>(null);

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
