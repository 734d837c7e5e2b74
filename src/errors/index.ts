/**
 * The one error type of aimq, and the diagnostics that validators collect.
 *
 * Every problem a user can cause has a stable code from {@link CODES}; the CLI prints
 * `file:line:col severity: message [CODE]` and a hint, and maps codes to exit codes.
 */

import { counted, inLang, type Message, type Text } from '../i18n/text.js';

export type Severity = 'error' | 'warning';

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  content: 1,
  usage: 2,
  sending: 3,
  internal: 70,
} as const;

/** Every stable code, with the sentence that explains it in each language (printed by `aimq codes`). */
export const CODES = {
  // usage and configuration: exit 2
  'AIMQ-USAGE': { fr: 'La ligne de commande n’est pas valide.', en: 'The command line is not valid.' },
  'AIMQ-CONFIG-MISSING': {
    fr: 'Aucun fichier aimq.config.yaml n’a été trouvé dans le dossier du projet.',
    en: 'No aimq.config.yaml was found in the project folder.',
  },
  'AIMQ-CONFIG-YAML': {
    fr: 'aimq.config.yaml n’est pas du YAML valide.',
    en: 'aimq.config.yaml is not valid YAML.',
  },
  'AIMQ-CONFIG-FIELD': {
    fr: 'Un champ obligatoire de la configuration manque ou n’a pas le bon type.',
    en: 'A required configuration field is missing or has the wrong type.',
  },
  'AIMQ-CONFIG-UNKNOWN': {
    fr: 'aimq.config.yaml contient une clé qu’aimq ne connaît pas.',
    en: 'aimq.config.yaml has a key aimq does not know.',
  },
  'AIMQ-RELEASE-NOT-FOUND': {
    fr: 'Un dossier de communiqué nommé sur la ligne de commande n’existe pas.',
    en: 'A release folder named on the command line does not exist.',
  },
  'AIMQ-OUTPUT-UNWRITABLE': {
    fr: 'Le dossier de sortie ne peut pas être écrit.',
    en: 'The output folder cannot be written.',
  },
  'AIMQ-EXISTS': {
    fr: 'Le fichier ou le dossier à créer existe déjà.',
    en: 'The file or folder to create already exists.',
  },
  'AIMQ-TEMPLATE': {
    fr: 'Un gabarit n’a pas pu être lu ou rendu.',
    en: 'A template could not be read or rendered.',
  },
  'AIMQ-EMAIL-CONFIG': {
    fr: 'Les réglages de courriel (`email:` dans aimq.config.yaml) manquent ou sont incomplets.',
    en: 'The e-mail settings (email: in aimq.config.yaml) are missing or incomplete.',
  },
  'AIMQ-DKIM-KEY': {
    fr: 'La clé DKIM privée n’a pas pu être lue dans son fichier ou sa variable d’environnement.',
    en: 'The DKIM private key could not be read from its file or environment variable.',
  },
  'AIMQ-EDITION': {
    fr: 'Le communiqué n’a pas cette édition courriel.',
    en: 'The release has no such e-mail edition.',
  },
  'AIMQ-LIST-NOT-FOUND': {
    fr: 'Une liste de diffusion nommée sur la ligne de commande n’existe pas.',
    en: 'A recipient list named on the command line does not exist.',
  },
  'AIMQ-OUTBOX': {
    fr: 'La base de la boîte d’envoi ne s’ouvre pas\u00a0: verrouillée trop longtemps par un autre aimq, endommagée ou vide, ou créée par un aimq plus récent.',
    en: 'The outbox database cannot be opened: locked by another aimq for too long, damaged or empty, or from a newer aimq.',
  },
  'AIMQ-CAMPAIGN-NOT-FOUND': {
    fr: 'Aucune campagne de la boîte d’envoi n’a ce numéro.',
    en: 'No campaign in the outbox has that id.',
  },
  'AIMQ-SMTP-CONFIG': {
    fr: 'Aucun serveur SMTP n’est configuré, ou ses réglages ne sont pas valides.',
    en: 'No SMTP server is configured, or its settings are invalid.',
  },
  'AIMQ-SMTP': {
    fr: 'Le serveur SMTP est injoignable, ou il a refusé la connexion ou les identifiants.',
    en: 'The SMTP server could not be reached, refused the connection or the credentials.',
  },
  'AIMQ-IMAP-CONFIG': {
    fr: 'Aucune boîte IMAP n’est configurée (`inbox:` dans aimq.config.yaml), ou ses réglages ne sont pas valides.',
    en: 'No IMAP mailbox is configured (inbox: in aimq.config.yaml), or its settings are invalid.',
  },
  'AIMQ-IMAP': {
    fr: 'Le serveur IMAP est injoignable, ou il a refusé la connexion ou les identifiants.',
    en: 'The IMAP server could not be reached, refused the connection or the credentials.',
  },
  'AIMQ-INBOX-FILE': {
    fr: 'Une boîte aux lettres à importer (.eml, mbox ou Maildir) est introuvable ou illisible.',
    en: 'A mailbox to import (.eml, mbox or Maildir) cannot be found or read.',
  },
  'AIMQ-SEND-FAILED': {
    fr: 'Des messages n’ont pas pu être envoyés, ou ne l’ont peut-être pas été.',
    en: 'Some messages could not be sent, or may not have been.',
  },
  'AIMQ-SEND-REFUSED': {
    fr: 'Le serveur SMTP a refusé le message lui-même (contenu, taille, relais, politique) plusieurs fois de suite : l’envoi s’est arrêté pour protéger la réputation de l’expéditeur.',
    en: 'The SMTP server refused the message itself (content, size, relaying, policy) several times in a row: the send stopped to protect the sender’s reputation.',
  },
  'AIMQ-CONFIRM': {
    fr: 'L’envoi demande une confirmation\u00a0: un terminal, ou --yes.',
    en: 'Sending needs a confirmation: a terminal, or --yes.',
  },
  'AIMQ-BROWSER': {
    fr: 'Aucun Chrome ni Chromium n’a été trouvé, ou il a échoué, pour prendre des captures d’écran ou imprimer un PDF.',
    en: 'No Chrome or Chromium was found, or it failed, to take screenshots or print a PDF.',
  },
  'AIMQ-SCHEDULE': {
    fr: 'Une heure d’envoi n’est pas valide\u00a0: elle n’existe pas, arrive deux fois ou est passée.',
    en: 'A send time is not valid: it does not exist, happens twice, or is past.',
  },
  'AIMQ-DISPATCH-TARGET': {
    fr: 'Une entrée `dispatch:` nomme un fichier de liste qui n’existe pas.',
    en: 'A dispatch entry names a list file that does not exist.',
  },
  'AIMQ-DISPATCH-MISSED': {
    fr: 'Un envoi planifié n’a pas été fait\u00a0: son heure est passée depuis plus longtemps que `dispatch.maxDelay`.',
    en: 'A scheduled send was not made: its time passed longer ago than dispatch.maxDelay.',
  },
  'AIMQ-UNSUBSCRIBE-SECRET': {
    fr: 'AIMQ_UNSUBSCRIBE_SECRET manque ou fait moins de 32 caractères, et les liens de désabonnement en un clic en ont besoin.',
    en: 'AIMQ_UNSUBSCRIBE_SECRET is missing or shorter than 32 characters, and one-click unsubscribe links need it.',
  },
  'AIMQ-OUTPUT-INSIDE-INPUT': {
    fr: 'Le dossier de sortie est dans ce que lit la construction (releases/, templates/, lists/, la config)\u00a0: elle lirait ses propres fichiers.',
    en: 'The output folder is inside what a build reads (releases/, templates/, lists/, the config): it would read its own output.',
  },
  // content: exit 1
  'AIMQ-YAML': {
    fr: 'L’en-tête (front matter) n’est pas du YAML valide.',
    en: 'The front matter is not valid YAML.',
  },
  'AIMQ-FRONT-MATTER': {
    fr: 'Le fichier ne commence pas par un bloc d’en-tête (---).',
    en: 'The file does not start with a front matter block (---).',
  },
  'AIMQ-FIELD-MISSING': {
    fr: 'Un champ obligatoire de l’en-tête manque.',
    en: 'A required front-matter field is missing.',
  },
  'AIMQ-FIELD-TYPE': {
    fr: 'Un champ de l’en-tête n’a pas le bon type ou a une valeur non valide.',
    en: 'A front-matter field has the wrong type or an invalid value.',
  },
  'AIMQ-FIELD-UNKNOWN': {
    fr: 'Une clé de l’en-tête ne fait pas partie du format des communiqués.',
    en: 'A front-matter key is not part of the release format.',
  },
  'AIMQ-DATE': {
    fr: 'Une date ou une date-heure n’existe pas ou n’est pas au format ISO 8601.',
    en: 'A date or date-time does not exist or is not in ISO 8601 form.',
  },
  'AIMQ-EMAIL': { fr: 'Une adresse courriel n’est pas valide.', en: 'An e-mail address is not valid.' },
  'AIMQ-PHONE': { fr: 'Un numéro de téléphone n’est pas valide.', en: 'A phone number is not valid.' },
  'AIMQ-CONTACT': {
    fr: 'Les personnes-ressources manquent ou diffèrent d’une édition à l’autre.',
    en: 'The contacts are missing or do not match between editions.',
  },
  'AIMQ-IMAGE-MISSING': {
    fr: 'Un fichier image cité par le communiqué n’existe pas.',
    en: 'An image file referred to by the release does not exist.',
  },
  'AIMQ-LINK-MISSING': {
    fr: 'Un lien du communiqué mène à un fichier qui n’est pas dans le dossier du communiqué\u00a0: il serait brisé une fois publié.',
    en: 'A link of the release leads to a file that is not in the release folder: it would be broken once published.',
  },
  'AIMQ-IMAGE-ALT': {
    fr: 'Une image n’a pas de texte de remplacement dans une édition.',
    en: 'An image has no alternative text in an edition.',
  },
  'AIMQ-TRANSLATION-MISMATCH': {
    fr: 'Une traduction donne une autre valeur à un champ qui doit être le même que dans l’édition principale.',
    en: 'A translation sets a field that must equal the primary edition to a different value.',
  },
  'AIMQ-PRIMARY-MISSING': {
    fr: 'Le communiqué n’a pas d’édition dans la langue principale.',
    en: 'The release has no edition in the primary language.',
  },
  'AIMQ-LANGUAGE-UNKNOWN': {
    fr: 'Un fichier de communiqué porte le nom d’une langue que la config ne liste pas.',
    en: 'A release file is named for a language the config does not list.',
  },
  'AIMQ-FOLDER-NAME': {
    fr: 'Le nom du dossier du communiqué n’est pas de la forme <aaaa-mm-jj>-<slug>.',
    en: 'The release folder name is not <yyyy-mm-dd>-<slug>.',
  },
  'AIMQ-SLUG': {
    fr: 'Un slug traduit n’est pas un segment d’URL valide ou sert deux fois.',
    en: 'A translated slug is not a valid URL segment or is used twice.',
  },
  'AIMQ-EMPTY-BODY': { fr: 'Une édition n’a pas de texte.', en: 'An edition has no body text.' },
  'AIMQ-SVG-ACTIVE': {
    fr: 'Une image SVG d’un communiqué contient un script ou un autre contenu actif (attributs d’événement, liens `javascript:` ou externes, foreignObject).',
    en: 'An SVG image of a release holds script or other active content (event attributes, javascript: or external links, foreignObject).',
  },
  'AIMQ-OUTSIDE-RELEASE': {
    fr: 'Un fichier ou une image du communiqué est un lien symbolique vers un fichier hors du dossier du communiqué\u00a0: il n’est jamais lu.',
    en: 'A release file or image is a symbolic link to a file outside the release folder: it is never read.',
  },
  'AIMQ-LIST-HEADER': {
    fr: 'Une liste de diffusion n’a pas de ligne d’en-tête, ou son en-tête n’a pas de colonne email.',
    en: 'A recipient list has no header line, or its header has no email column.',
  },
  'AIMQ-LIST-CSV': {
    fr: 'Une liste de diffusion n’est pas du CSV valide\u00a0: un champ entre guillemets n’est jamais fermé, ou une ligne dépasse 65\u00a0536 caractères.',
    en: 'A recipient list is not valid CSV: a quoted field is never closed, or a line is over 65,536 characters.',
  },
  'AIMQ-LIST-ENCODING': {
    fr: 'Une liste de diffusion est dans un encodage qu’aimq ne lit pas (UTF-16)\u00a0; enregistrez-la en CSV UTF-8.',
    en: 'A recipient list is in an encoding aimq does not read (UTF-16); save it as CSV UTF-8.',
  },
  'AIMQ-LIST-EMAIL': {
    fr: 'Une ligne d’une liste de diffusion n’a pas d’adresse, ou une adresse non valide.',
    en: 'A line of a recipient list has no address or an invalid one.',
  },
  'AIMQ-LIST-LANGUAGE': {
    fr: 'La langue d’un destinataire n’est pas fr, en ou bilingual (français, anglais, bilingue).',
    en: "A recipient's language is not fr, en or bilingual (français, anglais, bilingue).",
  },
  'AIMQ-LIST-CONSENT-DATE': {
    fr: 'Une date de consentement d’une liste de diffusion n’est pas une vraie date ISO (AAAA-MM-JJ).',
    en: 'A consent date in a recipient list is not a real ISO date (YYYY-MM-DD).',
  },
  'AIMQ-LIST-CONSENT': {
    fr: 'Un fondement du consentement dans une liste de diffusion n’est pas compris (express, implied, inquiry, implied-published…).',
    en: 'A consent basis in a recipient list is not understood (express, implied, inquiry, implied-published…).',
  },
  'AIMQ-DOCTOR': {
    fr: 'aimq doctor n’a pas pu faire ses vérifications\u00a0: le serveur DNS n’a pas répondu.',
    en: 'aimq doctor could not run its checks: the DNS server did not answer.',
  },
  // warnings
  'AIMQ-TYPO-TIME': {
    fr: 'Une heure n’est pas écrite selon l’OQLF (9 h 30, 14 h).',
    en: 'A time is not written the OQLF way (9 h 30, 14 h).',
  },
  'AIMQ-TYPO-ORDINAL': {
    fr: 'Un ordinal n’est pas abrégé selon l’OQLF (1er, 1re, 2e).',
    en: 'An ordinal is not abbreviated the OQLF way (1er, 1re, 2e).',
  },
  'AIMQ-TYPO-AMPM': {
    fr: 'Le texte français emploie a.m./p.m.\u00a0; le français utilise le système de 24 heures.',
    en: 'French text uses a.m./p.m.; French uses the 24-hour clock.',
  },
  'AIMQ-TRANSLATION-NUMBER': {
    fr: 'Un nombre figure dans une édition et pas dans l’autre.',
    en: 'A number appears in one edition and not in the other.',
  },
  'AIMQ-TRANSLATION-AMOUNT': {
    fr: 'Un montant figure dans une édition et pas dans l’autre.',
    en: 'An amount appears in one edition and not in the other.',
  },
  'AIMQ-TRANSLATION-DATE': {
    fr: 'Une date figure dans une édition et pas dans l’autre.',
    en: 'A date appears in one edition and not in the other.',
  },
  'AIMQ-TRANSLATION-EMAIL': {
    fr: 'Une adresse courriel figure dans une édition et pas dans l’autre.',
    en: 'An e-mail address appears in one edition and not in the other.',
  },
  'AIMQ-TRANSLATION-URL': {
    fr: 'Une URL figure dans une édition et pas dans l’autre.',
    en: 'A URL appears in one edition and not in the other.',
  },
  'AIMQ-TRANSLATION-MISSING': {
    fr: 'Un communiqué n’a pas d’édition dans l’une des langues configurées.',
    en: 'A release has no edition in one of the configured languages.',
  },
  'AIMQ-RAW-HTML': {
    fr: 'Le HTML brut dans le markdown est retiré du résultat.',
    en: 'Raw HTML in markdown is removed from the output.',
  },
  'AIMQ-DATE-MISMATCH': {
    fr: 'La date du nom du dossier diffère de la date de l’en-tête.',
    en: 'The release folder date differs from the front-matter date.',
  },
  'AIMQ-EMAIL-SIZE': {
    fr: 'Une édition courriel dépasse 102\u00a0Ko de HTML\u00a0: Gmail la tronque.',
    en: 'An e-mail edition is over 102 KB of HTML: Gmail clips it.',
  },
  'AIMQ-LINK-INSECURE': { fr: 'Un lien n’utilise pas https.', en: 'A link does not use https.' },
  'AIMQ-EMAIL-SVG': {
    fr: 'Une image est un SVG, que Gmail et Outlook n’affichent pas dans les courriels.',
    en: 'An image is an SVG, which Gmail and Outlook do not show in e-mails.',
  },
  'AIMQ-LINK-REMOVED': {
    fr: 'Un lien du texte est retiré de la sortie\u00a0: son adresse n’est ni https, ni mailto, ni tel (javascript:, data:, ftp:…).',
    en: 'A link of the text is removed from the output: its address is not https, mailto or tel (javascript:, data:, ftp:…).',
  },
  'AIMQ-DKIM-ALIGNMENT': {
    fr: 'Le domaine de signature DKIM n’est pas le domaine organisationnel de l’expéditeur\u00a0: la signature ne passe pas DMARC.',
    en: 'The DKIM signing domain is not the sender’s organisational domain: the signature does not pass DMARC.',
  },
  'AIMQ-EMAIL-LAW': {
    fr: 'Les courriels ne peuvent pas encore être envoyés légalement\u00a0: aucun moyen de désabonnement ou aucune adresse postale (LCAP).',
    en: 'E-mail cannot be sent lawfully yet: no unsubscribe mechanism or no postal address (CASL).',
  },
  'AIMQ-LIST-DUPLICATE': {
    fr: 'Une adresse figure deux fois dans une liste de diffusion (sans égard à la casse)\u00a0; seule la première ligne sert.',
    en: 'An address appears twice in a recipient list (case ignored); only the first line is used.',
  },
  'AIMQ-LIST-COLUMN': {
    fr: 'Une liste de diffusion a une colonne qu’aimq ne connaît pas, ou deux colonnes pour un même champ\u00a0: ignorée.',
    en: 'A recipient list has a column aimq does not know, or two columns for one field: ignored.',
  },
  'AIMQ-LIST-MIXED-ENCODING': {
    fr: 'Une liste de diffusion mêle des lignes UTF-8 et Windows-1252.',
    en: 'A recipient list mixes UTF-8 and Windows-1252 lines.',
  },
  'AIMQ-CONSENT-MISSING': {
    fr: 'Une liste de diffusion n’a pas de colonne de consentement\u00a0: la LCAP exige de garder la preuve du consentement de chaque destinataire, et un consentement tacite expiré ne peut pas être détecté.',
    en: 'A recipient list has no consent column: CASL requires a record of each recipient’s consent, and expired implied consent cannot be detected.',
  },
  'AIMQ-PLACEHOLDER': {
    fr: 'Une valeur est encore celle qu’aimq init ou aimq release new a écrite pour l’exemple\u00a0: modifiez-la avant de publier.',
    en: 'A value is still the placeholder that aimq init or aimq release new wrote: edit it before publishing.',
  },
  'AIMQ-DATE-FUTURE': {
    fr: 'Le communiqué est daté dans l’avenir et n’a pas d’embargo, ou un embargo déjà levé\u00a0: une construction le publie tout de suite.',
    en: 'The release is dated in the future and has no embargo, or one that has lifted: a build publishes it at once.',
  },
  'AIMQ-PLACE-MISSING': {
    fr: 'Une traduction n’a pas de lieu\u00a0: sa ligne de date reprend la ville de l’édition principale.',
    en: "A translation has no place: its dateline uses the primary edition's city.",
  },
  // internal: exit 70
  'AIMQ-INTERNAL': {
    fr: 'Une erreur inattendue dans aimq. Merci de la signaler.',
    en: 'An unexpected error inside aimq. Please report it.',
  },
} as const satisfies Record<string, Text>;

export type Code = keyof typeof CODES;

/** A located problem, as validators collect them. Lines and columns are 1-based, in the file itself. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  code: Code;
  message: Message;
  hint?: Message;
}

export interface AimqErrorOptions {
  file?: string;
  line?: number;
  column?: number;
  hint?: Message;
  cause?: unknown;
}

/** A problem that stops a command. Thrown by stages, printed and mapped to an exit code by the CLI only. */
export class AimqError extends Error {
  readonly code: Code;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly hint: Message | undefined;
  /** The message in both languages; `message` is its English, for logs and stack traces. */
  readonly text: Message;

  constructor(code: Code, message: Message, options: AimqErrorOptions = {}) {
    super(inLang(message, 'en'), options.cause === undefined ? undefined : { cause: options.cause });
    this.text = message;
    this.name = 'AimqError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.hint = options.hint;
  }
}

/** Thrown when validation found errors: carries every diagnostic, not just the first. */
export class AimqProblems extends AimqError {
  readonly diagnostics: Diagnostic[];
  constructor(
    diagnostics: Diagnostic[],
    code: Code = diagnostics.find((d) => d.severity === 'error')?.code ?? 'AIMQ-INTERNAL',
  ) {
    const problems = counted(diagnostics.filter((d) => d.severity === 'error').length, {
      fr: ['problème trouvé', 'problèmes trouvés'],
      en: ['problem found', 'problems found'],
    });
    super(code, problems);
    this.name = 'AimqProblems';
    this.diagnostics = diagnostics;
  }
}

const USAGE_CODES: ReadonlySet<Code> = new Set<Code>([
  'AIMQ-USAGE',
  'AIMQ-CONFIG-MISSING',
  'AIMQ-CONFIG-YAML',
  'AIMQ-CONFIG-FIELD',
  'AIMQ-CONFIG-UNKNOWN',
  'AIMQ-RELEASE-NOT-FOUND',
  'AIMQ-OUTPUT-UNWRITABLE',
  'AIMQ-EXISTS',
  'AIMQ-TEMPLATE',
  'AIMQ-EMAIL-CONFIG',
  'AIMQ-DKIM-KEY',
  'AIMQ-EDITION',
  'AIMQ-LIST-NOT-FOUND',
  'AIMQ-OUTBOX',
  'AIMQ-CAMPAIGN-NOT-FOUND',
  'AIMQ-SMTP-CONFIG',
  'AIMQ-IMAP-CONFIG',
  'AIMQ-IMAP',
  'AIMQ-INBOX-FILE',
  'AIMQ-CONFIRM',
  'AIMQ-SCHEDULE',
  'AIMQ-BROWSER',
  'AIMQ-OUTPUT-INSIDE-INPUT',
  'AIMQ-UNSUBSCRIBE-SECRET',
  'AIMQ-DOCTOR',
]);

/**
 * Warnings a release may acknowledge in its front matter (`acknowledge: [CODE]`), once a
 * person has looked and decided the finding is right: the translation facts, which a
 * legitimate translation can differ in (`conseil-administration` / `board-of-directors`).
 */
export const ACKNOWLEDGEABLE: readonly Code[] = [
  'AIMQ-TRANSLATION-NUMBER',
  'AIMQ-TRANSLATION-AMOUNT',
  'AIMQ-TRANSLATION-DATE',
  'AIMQ-TRANSLATION-EMAIL',
  'AIMQ-TRANSLATION-URL',
  'AIMQ-TYPO-TIME',
  'AIMQ-TYPO-ORDINAL',
  'AIMQ-TYPO-AMPM',
  'AIMQ-RAW-HTML',
  'AIMQ-LINK-INSECURE',
  'AIMQ-DATE-MISMATCH',
  'AIMQ-DATE-FUTURE',
  'AIMQ-PLACE-MISSING',
];

const SENDING_CODES: ReadonlySet<Code> = new Set<Code>([
  'AIMQ-SMTP',
  'AIMQ-SEND-FAILED',
  'AIMQ-SEND-REFUSED',
]);

/** The exit code a code leads to: 2 for usage and configuration, 70 internal, 1 for content. */
export function exitCodeFor(code: Code): number {
  if (code === 'AIMQ-INTERNAL') return EXIT.internal;
  if (SENDING_CODES.has(code)) return EXIT.sending;
  return USAGE_CODES.has(code) ? EXIT.usage : EXIT.content;
}

export function isUsageCode(code: Code): boolean {
  return USAGE_CODES.has(code);
}
