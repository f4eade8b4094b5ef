/**
 * BCP 47 well-formedness (RFC 5646 syntax: language, script, region, variants,
 * extensions, private use). `Intl.getCanonicalLocales` throws on malformed tags.
 */
export function isLanguageTag(tag: string): boolean {
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return false;
  try {
    Intl.getCanonicalLocales(tag);
    return true;
  } catch {
    return false;
  }
}
