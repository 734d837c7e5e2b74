/**
 * What aimq says to its user, in French and in English. Every message is written in both
 * languages where it is made, French first (`{ fr: '…', en: '…' }`); the language is chosen
 * once, when it is printed. Codes, `--format json` keys and exit codes never change with it.
 */

export type Lang = 'fr' | 'en';

/** A message in both languages. */
export interface Text {
  readonly fr: string;
  readonly en: string;
}

/**
 * What a message may be while the code base moves to `Text`: a plain string is shown as it
 * is in both languages (a path, a number, a value quoted from a file).
 */
export type Message = string | Text;

export function isText(value: unknown): value is Text {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Text).fr === 'string' &&
    typeof (value as Text).en === 'string'
  );
}

/**
 * The language aimq speaks: `AIMQ_LANG`, else the first of `LC_ALL`, `LC_MESSAGES` and `LANG`
 * that is set (the POSIX order); any value starting with `fr` gives French, anything else
 * English. `C` and `POSIX` are English.
 */
export function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  const chosen = [env.AIMQ_LANG, env.LC_ALL, env.LC_MESSAGES, env.LANG].map((v) => v?.trim()).find((v) => v);
  return chosen && /^fr(?:[_.@-]|$)/i.test(chosen) ? 'fr' : 'en';
}

/** A message in `lang`. */
export function inLang(message: Message, lang: Lang): string {
  return typeof message === 'string' ? message : message[lang];
}

/** A number as each language writes it: `1 042` (a no-break space) and `1,042`. */
export function formatNumber(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'fr' ? 'fr-CA' : 'en-CA');
}

/**
 * `n` and the noun that goes with it, in both languages. French takes the singular below 2
 * (« 0 erreur », « 1,5 heure »), English only for exactly 1.
 */
export function counted(n: number, noun: { fr: [string, string]; en: [string, string] }): Text {
  return {
    fr: `${formatNumber(n, 'fr')} ${Math.abs(n) < 2 ? noun.fr[0] : noun.fr[1]}`,
    en: `${formatNumber(n, 'en')} ${n === 1 ? noun.en[0] : noun.en[1]}`,
  };
}

/** Joins messages (and plain strings) language by language. */
export function joinText(parts: readonly Message[], separator: Message = ''): Text {
  const join = (lang: Lang) => parts.map((p) => inLang(p, lang)).join(inLang(separator, lang));
  return { fr: join('fr'), en: join('en') };
}

/** A message made of others: `(lang) => …` run for each language. */
export function textOf(make: (lang: Lang) => string): Text {
  return { fr: make('fr'), en: make('en') };
}
