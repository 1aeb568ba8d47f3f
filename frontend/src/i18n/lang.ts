export type Lang = 'vi' | 'en';

export const LANG_STORAGE_KEY = 'unionhub.lang';

export function initialLang(): Lang {
  try {
    return localStorage.getItem(LANG_STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

