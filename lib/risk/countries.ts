import countries from 'i18n-iso-countries/index';
import en from 'i18n-iso-countries/langs/en.json';

// The Node entry registers every language (megabytes); only English is needed.
countries.registerLocale(en);

export function countryName(code: string | null | undefined): string | null {
  if (!code) return null;
  return countries.getName(code.toUpperCase(), 'en', { select: 'official' }) ?? code;
}
