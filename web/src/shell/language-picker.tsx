import { LANGUAGES, useI18n, type Language } from '../i18n/i18n';

export function LanguagePicker() {
  const { language, setLanguage, t } = useI18n();
  return (
    <select className="language" aria-label={t('shell.language')} value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
      {Object.entries(LANGUAGES).map(([code, name]) => (
        <option key={code} value={code}>
          {name}
        </option>
      ))}
    </select>
  );
}
