import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { de } from './de';
import { en, type Catalogue, type MessageKey } from './en';
import { nl } from './nl';

export const LANGUAGES = { en: 'English', nl: 'Nederlands', de: 'Deutsch' } as const;
export type Language = keyof typeof LANGUAGES;
const CATALOGUES: Record<Language, Catalogue> = { en, nl, de };
const STORAGE_KEY = 'stockbridge.language';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;
/** A message with `.one` and `.other` forms, e.g. `part.unitCount` for "1 unit" / "2 units". */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}.other` ? (`${Base}.one` extends MessageKey ? Base : never) : never }[MessageKey];
export type TranslateCount = (key: PluralKey, n: number, vars?: Record<string, string | number>) => string;

interface I18n {
  readonly language: Language;
  setLanguage(language: Language): void;
  readonly t: Translate;
  /** The form of `key` the language uses for `n` (Intl.PluralRules), with `{n}` in its number format. */
  readonly tn: TranslateCount;
  /** A number in the reader's language: 0,85 in Dutch and German, 0.85 in English. */
  formatNumber(n: number, options?: Intl.NumberFormatOptions): string;
  /** Dates in the reader's language: `date` for days, `dateTime` with the time. */
  formatDate(iso: string): string;
  formatDateTime(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

/** The picked language, else the browser's first that we have, else English. */
function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && stored in LANGUAGES) return stored as Language;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if (base in LANGUAGES) return base as Language;
  }
  return 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const catalogue = CATALOGUES[language];
    const day = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
    const dayTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const plurals = new Intl.PluralRules(language);
    const t: Translate = (key, vars) => catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => (vars && name in vars ? String(vars[name]) : whole));
    const formatNumber = (n: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(language, options).format(n);
    return {
      language,
      setLanguage,
      t,
      tn: (key, n, vars) => t(`${key}.${plurals.select(n) === 'one' ? 'one' : 'other'}` as MessageKey, { n: formatNumber(n), ...vars }),
      formatNumber,
      // A bare YYYY-MM-DD is a calendar day: read it as noon UTC so no time zone moves it.
      formatDate: (iso) => day.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)),
      formatDateTime: (iso) => dayTime.format(new Date(iso)),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

/** Whether the catalogue has words for `key`: event types it does not know are shown as they are. */
export function isMessageKey(key: string): key is MessageKey {
  return key in en;
}
