import { ConfigProvider, App as AntApp } from 'antd';
import enUS from 'antd/locale/en_US';
import viVN from 'antd/locale/vi_VN';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { dayjs } from '../lib/format';
import { useReducedMotion } from '../lib/useReducedMotion';
import { translateError } from './errors';
import { I18nContext, type I18n } from './context';
import { LANG_STORAGE_KEY, initialLang, type Lang } from './lang';
import { languageReady, loadLanguage } from './load';
import { MESSAGES, type MessageKey } from './messages';

// Date inputs say how to type a date (the pickers take dd/mm/yyyy), in both languages.
// The calendar's month and year buttons are named by what they show ("Th 12", "2026"): antd's
// "Chọn tháng"/"Chọn năm" labels hid their text from speech input (WCAG 2.5.3, axe
// label-content-name-mismatch). Without a label React leaves the attribute out.
const NO_LABEL = undefined as unknown as string;
function withDateHint<L extends typeof viVN>(locale: L): L {
  const picker = locale.DatePicker;
  if (!picker) return locale;
  const hint = 'dd/mm/yyyy';
  return {
    ...locale,
    DatePicker: {
      ...picker,
      lang: {
        ...picker.lang,
        placeholder: hint,
        rangePlaceholder: [hint, hint],
        monthSelect: NO_LABEL,
        yearSelect: NO_LABEL,
        decadeSelect: NO_LABEL,
      },
    },
  };
}
// antd's locale files are CommonJS: in the built app their default import is the module
// object (the locale is its `default`; ConfigProvider accepts either), under Vitest the locale
// itself. Unwrapped, so the changes above reach the built app too.
function localeOf<L extends typeof viVN>(imported: L): L {
  return (imported as L & { default?: L }).default ?? imported;
}
const VI = withDateHint(localeOf(viVN));
const EN = withDateHint(localeOf(enUS));

// Text contrast of at least 4.5:1 on white and on the #f5f5f5 page (WCAG AA; the e2e suite
// checks it with axe-core): Ant Design's tertiary text, placeholders and links (#8c8c8c, 3.4:1,
// #bfbfbf, 1.8:1, and #1677ff, 4.1:1) are darkened. Disabled text keeps the light grey: it is exempt and must look
// unavailable.
const THEME = {
  token: {
    colorPrimary: '#b71c1c',
    borderRadius: 6,
    fontSize: 14,
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
    colorTextLabel: 'rgba(0, 0, 0, 0.65)',
    // Links: #1677ff is 4.1:1 on white.
    colorLink: '#0958d9',
    colorLinkHover: '#003eb3',
    colorLinkActive: '#002c8c',
    // Error text, danger buttons and required marks: #ff4d4f is 3.3:1 on white.
    colorError: '#cf1322',
  },
};

function interpolate(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** `lang` fixes the language (tests); otherwise the user's last choice, Vietnamese by default. */
export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [chosen, setLangState] = useState<Lang>(initialLang);
  const lang = fixed ?? chosen;
  dayjs.locale(lang);
  // English arrives as its own chunk; the screen redraws in English once it is in.
  const [, setLoaded] = useState(0);
  const ready = languageReady(lang);
  useEffect(() => {
    if (!ready) void loadLanguage(lang).then(() => setLoaded((n) => n + 1));
  }, [lang, ready]);
  const catalog = (ready ? MESSAGES[lang] : null) ?? MESSAGES.vi;

  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
    document.documentElement.lang = next;
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key: MessageKey, vars?: Record<string, string | number>) =>
        interpolate(catalog[key] ?? MESSAGES.vi[key] ?? key, vars),
      te: (code, fallback, params) => translateError(lang, code, fallback, params),
    }),
    [lang, setLang, catalog],
  );

  // With reduced motion asked for, antd's animations are off (token.motion).
  const reducedMotion = useReducedMotion();
  const theme = useMemo(() => (reducedMotion ? { ...THEME, token: { ...THEME.token, motion: false } } : THEME), [reducedMotion]);

  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider locale={lang === 'en' ? EN : VI} theme={theme}>
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}
