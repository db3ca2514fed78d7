import countries from 'i18n-iso-countries/index';
import en from 'i18n-iso-countries/langs/en.json';

// The library's Node entry registers every language (megabytes); only English is needed for evidence and labels.
countries.registerLocale(en);

/** "France" for "FR"; an unknown or malformed code is returned as given, so nothing is ever hidden. */
export function countryName(code: string | null | undefined): string | null {
  if (!code) return null;
  return countries.getName(code.toUpperCase(), 'en', { select: 'official' }) ?? code;
}
