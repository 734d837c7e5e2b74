/**
 * Words the renderers add around a release, per language. French follows the OQLF:
 * a no-break space before the colon, typographic apostrophes.
 */
export interface Strings {
  htmlLang: string;
  ogLocale: string;
  languageName: string;
  immediateRelease: string;
  /** Label before the contact who issued the release. */
  source: string;
  /** Label before the contact who answers the media. */
  information: string;
  aboutPrefix: (shortName: string) => string;
  newsroom: string;
  onlyIn: (otherLanguage: string) => string;
  embargoPreview: string;
  skipToContent: string;
  readInOther: string;
  feed: string;
  chooseLanguage: string;
  published: string;
  noReleases: string;
  phone: string;
  email: string;
  /** E-mail: the line atop a bilingual message that leads to the other language's part. */
  otherLanguageBelow: string;
  defaultReason: string;
  unsubscribe: string;
  unsubscribeSubject: string;
  viewInBrowser: string;
  embargoedSubject: string;
  /** A colon as the language writes it after a label: ` :` with a no-break space in French. */
  colon: string;
  /** The link from a page to its PDF. */
  pdfVersion: string;
}

const NBSP = '\u00A0';

const fr: Strings = {
  htmlLang: 'fr-CA',
  ogLocale: 'fr_CA',
  languageName: 'Français',
  immediateRelease: 'POUR DIFFUSION IMMÉDIATE',
  source: `Source${NBSP}:`,
  information: `Renseignements${NBSP}:`,
  aboutPrefix: (name) =>
    /^[aeiouyàâéèêëîïôûùh]/i.test(name) ? `À propos de l’${name}` : `À propos de ${name}`,
  newsroom: 'Communiqués de presse',
  onlyIn: (other) => `en ${other.toLowerCase()} seulement`,
  embargoPreview: 'SOUS EMBARGO — aperçu, ne pas diffuser',
  skipToContent: 'Aller au contenu',
  readInOther: 'Lire en français',
  feed: 'Fil Atom',
  chooseLanguage: 'Choisissez votre langue',
  published: 'Publié le',
  noReleases: 'Aucun communiqué pour le moment.',
  phone: 'Téléphone',
  email: 'Courriel',
  otherLanguageBelow: 'La version française suit.',
  defaultReason:
    'Vous recevez ce communiqué parce que votre adresse figure sur notre liste de diffusion de communiqués de presse.',
  unsubscribe: 'Se désabonner',
  unsubscribeSubject: 'Désabonnement',
  viewInBrowser: 'Voir ce communiqué dans votre navigateur',
  embargoedSubject: 'SOUS EMBARGO',
  colon: `${NBSP}:`,
  pdfVersion: 'Version PDF',
};

const en: Strings = {
  htmlLang: 'en-CA',
  ogLocale: 'en_CA',
  languageName: 'English',
  immediateRelease: 'FOR IMMEDIATE RELEASE',
  source: 'Source:',
  information: 'Information:',
  aboutPrefix: (name) => `About ${name}`,
  newsroom: 'News releases',
  onlyIn: (other) => `${other} only`,
  embargoPreview: 'EMBARGOED — preview, do not publish',
  skipToContent: 'Skip to content',
  readInOther: 'Read in English',
  feed: 'Atom feed',
  chooseLanguage: 'Choose your language',
  published: 'Published',
  noReleases: 'No releases yet.',
  phone: 'Phone',
  email: 'E-mail',
  otherLanguageBelow: 'English version below.',
  defaultReason:
    'You are receiving this release because your address is on our news release distribution list.',
  unsubscribe: 'Unsubscribe',
  unsubscribeSubject: 'Unsubscribe',
  viewInBrowser: 'View this release in your browser',
  embargoedSubject: 'EMBARGOED',
  colon: ':',
  pdfVersion: 'PDF version',
};

const STRINGS: Readonly<Record<string, Strings>> = { fr, en };

export function stringsFor(lang: string): Strings {
  const s = STRINGS[lang];
  if (!s) throw new Error(`no strings for language "${lang}"`);
  return s;
}

/** The name of `lang` in the language `inLang` ("anglais", "French"). */
export function languageNameIn(lang: string, inLang: string): string {
  const names: Record<string, Record<string, string>> = {
    fr: { fr: 'français', en: 'anglais' },
    en: { fr: 'French', en: 'English' },
  };
  return names[inLang]?.[lang] ?? lang;
}
