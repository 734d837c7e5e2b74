import { type Argument, type Command, Help, type Option } from 'commander';
import type { Lang, Text } from '../i18n/text.js';

/**
 * commander's own words — help headings, the help and version options, its error messages —
 * in the user's language. commander writes them in English only; these hooks are the ones
 * it offers (configureHelp, helpOption, configureOutput), set on the program before any
 * subcommand is made, so every subcommand inherits them.
 */

const TITLES: Record<string, Text> = {
  'Usage:': { fr: 'Utilisation\u00a0:', en: 'Usage:' },
  'Arguments:': { fr: 'Arguments\u00a0:', en: 'Arguments:' },
  'Options:': { fr: 'Options\u00a0:', en: 'Options:' },
  'Global Options:': { fr: 'Options générales\u00a0:', en: 'Global Options:' },
  'Commands:': { fr: 'Commandes\u00a0:', en: 'Commands:' },
};

/** A character of the private use area: one column wide, never white space, never in a help. */
const NBSP_STANDIN = '\ue000';

/** Sets the help's headings, the built-in options' descriptions and the error messages in `lang`. */
export function speakCommander(program: Command, lang: Lang): void {
  const say = (t: Text) => t[lang];
  program.helpOption(
    '-h, --help',
    say({ fr: 'affiche l’aide de la commande', en: 'display help for command' }),
  );
  program.helpCommand(
    'help [command]',
    say({ fr: 'affiche l’aide d’une commande', en: 'display help for command' }),
  );
  program.configureHelp({
    styleTitle: (title: string) => TITLES[title]?.[lang] ?? title,
    optionDescription(this: Help, option: Option): string {
      return describeOption(option, lang);
    },
    argumentDescription(this: Help, argument: Argument): string {
      return describeArgument(argument, lang);
    },
    commandUsage(this: Help, command: Command): string {
      const usage = Help.prototype.commandUsage.call(this, command);
      return lang === 'fr' ? usage.replace(/\[command\]$/, '[commande]') : usage;
    },
    // commander wraps at any white space, the no-break space included, which would start a
    // line with « : »; it is hidden from the wrapping as a letter, then put back.
    boxWrap(this: Help, text: string, width: number): string {
      return Help.prototype.boxWrap
        .call(this, text.replaceAll('\u00a0', NBSP_STANDIN), width)
        .replaceAll(NBSP_STANDIN, '\u00a0');
    },
  } as Partial<Help>);
  program.configureOutput({ outputError: (text, write) => write(commanderError(text, lang)) });
}

/** The version option's description. */
export function versionDescription(lang: Lang): string {
  return lang === 'fr' ? 'affiche le numéro de version' : 'output the version number';
}

/** An option's description with its choices and default, as commander writes them, in `lang`. */
function describeOption(option: Option, lang: Lang): string {
  const extra: string[] = [];
  if (option.argChoices)
    extra.push(`${lang === 'fr' ? 'choix\u00a0:' : 'choices:'} ${option.argChoices.join(', ')}`);
  if (option.defaultValue !== undefined && (option.required || option.optional))
    extra.push(
      `${lang === 'fr' ? 'par défaut\u00a0:' : 'default:'} ${option.defaultValueDescription ?? String(option.defaultValue)}`,
    );
  return extra.length
    ? `${option.description} (${extra.join(lang === 'fr' ? '\u00a0; ' : '; ')})`
    : option.description;
}

/** An argument's description with its choices and default, as commander writes them, in `lang`. */
function describeArgument(argument: Argument, lang: Lang): string {
  const extra: string[] = [];
  if (argument.argChoices)
    extra.push(`${lang === 'fr' ? 'choix\u00a0:' : 'choices:'} ${argument.argChoices.join(', ')}`);
  if (argument.defaultValue !== undefined)
    extra.push(
      `${lang === 'fr' ? 'par défaut\u00a0:' : 'default:'} ${argument.defaultValueDescription ?? JSON.stringify(argument.defaultValue)}`,
    );
  return extra.length
    ? `${argument.description} (${extra.join(lang === 'fr' ? '\u00a0; ' : '; ')})`
    : argument.description;
}

/**
 * commander's error messages, translated by their shape (commander has no hook for the words
 * themselves). A message of an unknown shape stays as commander wrote it.
 */
export function commanderError(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  const rules: [RegExp, (...m: string[]) => string][] = [
    [/^error: unknown option '(.*)'/, (o) => `erreur\u00a0: option inconnue «\u00a0${o}\u00a0»`],
    [/^error: unknown command '(.*)'/, (c) => `erreur\u00a0: commande inconnue «\u00a0${c}\u00a0»`],
    [
      /^error: missing required argument '(.*)'/,
      (a) => `erreur\u00a0: il manque l’argument obligatoire «\u00a0${a}\u00a0»`,
    ],
    [
      /^error: option '(.*)' argument missing/,
      (o) => `erreur\u00a0: l’option «\u00a0${o}\u00a0» demande une valeur`,
    ],
    [
      /^error: required option '(.*)' not specified/,
      (o) => `erreur\u00a0: l’option «\u00a0${o}\u00a0» est obligatoire`,
    ],
    [
      /^error: option '(.*)' argument '(.*)' is invalid\. Allowed choices are (.*)\./,
      (o, v, c) =>
        `erreur\u00a0: la valeur «\u00a0${v}\u00a0» de l’option «\u00a0${o}\u00a0» n’est pas valide. Choix possibles\u00a0: ${c}.`,
    ],
    [
      /^error: option '(.*)' cannot be used with option '(.*)'/,
      (a, b) => `erreur\u00a0: l’option «\u00a0${a}\u00a0» ne va pas avec l’option «\u00a0${b}\u00a0»`,
    ],
    [
      /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\./,
      (c, e, g) =>
        `erreur\u00a0: trop d’arguments${c ? ` pour «\u00a0${c}\u00a0»` : ''}\u00a0: ${e} attendu${Number(e) > 1 ? 's' : ''}, ${g} reçu${Number(g) > 1 ? 's' : ''}.`,
    ],
  ];
  return text
    .split('\n')
    .map((line) => {
      const suggestion = /^\(Did you mean (one of )?(.*)\?\)$/.exec(line);
      if (suggestion) return `(Vouliez-vous dire ${suggestion[1] ? 'l’un de ' : ''}${suggestion[2]}\u00a0?)`;
      for (const [pattern, make] of rules) {
        const m = pattern.exec(line);
        if (m) return make(...m.slice(1).map((x) => x ?? '')) + line.slice(m[0].length);
      }
      return line;
    })
    .join('\n');
}
