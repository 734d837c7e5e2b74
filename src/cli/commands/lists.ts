import { statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { listFile } from '../../dispatch/plan.js';
import { AimqError, EXIT, type Diagnostic } from '../../errors/index.js';
import { formatNumber, joinText, type Text } from '../../i18n/text.js';
import { basisText, consentMissing } from '../../lists/consent.js';
import { consentReport, type ConsentFinding } from '../../lists/consent-report.js';
import { readList } from '../../lists/read.js';
import type { RecipientLanguage } from '../../lists/recipient.js';
import {
  appendSuppression,
  readSuppression,
  SUPPRESSION_REASONS,
  type SuppressionReason,
  suppressionDate,
} from '../../lists/suppression.js';
import { parseSuppressionReason } from '../../lists/suppression.js';
import { openExistingOutbox, openOutbox } from '../../sending/open-outbox.js';
import { didYouMean } from '../../schema/did-you-mean.js';
import { commandClock } from '../../time/clock.js';
import { isEmail } from '../../schema/formats.js';
import type { Io } from '../main.js';
import { diagnosticJson, formatDiagnostics } from '../report.js';

/** Where the suppression list of a project is. */
export function suppressionPath(root: string): string {
  return join(root, 'lists', 'suppression.csv');
}

/** `n` and its noun in French (singular below 2). */
const frCount = (n: number, one: string, many: string) => `${formatNumber(n, 'fr')} ${n < 2 ? one : many}`;
const enCount = (n: number, one: string, many: string) => `${formatNumber(n, 'en')} ${n === 1 ? one : many}`;

/**
 * `aimq lists check <file>`: each invalid address and each duplicate with file:line, counts
 * per language, how many are suppressed; exit 1 when a line is invalid, else 0. The list is
 * streamed: problems are printed as they are found.
 */
export async function listsCheckCommand(
  io: Io,
  file: string,
  opts: { format: 'text' | 'json' },
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  // As --to finds it: a path from here, else a list's name under lists/ (medias, medias.csv).
  const path = listFile(file, io.cwd, config.root) ?? resolve(io.cwd, file);
  const shown = relative(io.cwd, path) || file;
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st?.isFile()) {
    const where = `${relative(io.cwd, join(config.root, 'lists')) || '.'}/`;
    throw new AimqError(
      'AIMQ-LIST-NOT-FOUND',
      st
        ? {
            fr: `${shown} est un dossier, pas un fichier de liste`,
            en: `${shown} is a folder, not a list file`,
          }
        : { fr: `aucun fichier de liste ${shown}`, en: `no list file ${shown}` },
      {
        hint: {
          fr: `les listes sont des fichiers CSV, d’habitude dans ${where}`,
          en: `lists are CSV files, usually in ${where}`,
        },
      },
    );
  }
  const suppression = readSuppression(suppressionPath(config.root));
  const consent = consentReport(commandClock(undefined, io.env, config.timeZone)(), config.timeZone);
  const byLanguage: Record<RecipientLanguage, number> = { fr: 0, en: 0, bilingual: 0 };
  let recipients = 0;
  let suppressed = 0;
  let invalid = 0;
  let duplicates = 0;
  let errors = 0;
  const problems: Diagnostic[] = [];
  const list = readList(path, shown);
  for await (const item of list) {
    if (item.recipient) {
      recipients++;
      byLanguage[item.recipient.language]++;
      consent.add(item.recipient);
      if (suppression.has(item.recipient.key)) suppressed++;
    }
    if (item.rejected) invalid++;
    if (item.header && !item.header.consent) {
      const warning = consentMissing(item.header.file, item.header.line);
      if (opts.format === 'json') problems.push(warning);
      else io.stdout(formatDiagnostics([warning], 'text', io.lang));
    }
    if (item.problem) {
      if (item.problem.code === 'AIMQ-LIST-DUPLICATE') duplicates++;
      if (item.problem.severity === 'error') errors++;
      if (opts.format === 'json') problems.push(item.problem);
      else io.stdout(formatDiagnostics([item.problem], 'text', io.lang));
    }
    if (item.note && opts.format === 'text')
      io.stdout(`${item.note.file}:${item.note.line}:1 note: ${io.t(item.note.message)}`);
  }
  if (opts.format === 'json') {
    const report = {
      file: shown,
      encoding: list.encoding,
      recipients,
      byLanguage,
      suppressed,
      invalid,
      duplicates,
      problems: problems.map((d) => diagnosticJson(d, io.lang)),
      consent: {
        checkedOn: consent.checkedOn,
        expired: consent.expired,
        expiring: consent.expiring,
        unrecorded: consent.unrecorded,
      },
    };
    io.stdout(JSON.stringify(report, null, 2));
  } else {
    const line = (f: ConsentFinding, when: Text): Text => {
      const at = `${f.file}:${f.line}`;
      return {
        fr: `  ${at}  ${f.email}  ${basisText(f.basis).fr}${f.consentDate ? ` du ${f.consentDate}` : ', sans date de consentement'}\u00a0: ${when.fr}`,
        en: `  ${at}  ${f.email}  ${f.basis}${f.consentDate ? ` of ${f.consentDate}` : ', no consent date'}: ${when.en}`,
      };
    };
    if (consent.expired.length)
      io.stdout(
        io.t(
          joinText(
            [
              {
                fr: `Consentement expiré au ${consent.checkedOn} (LCAP)\u00a0: aucun envoi, ${formatNumber(consent.expired.length, 'fr')}`,
                en: `Expired consent on ${consent.checkedOn} (CASL): not sent to, ${consent.expired.length}`,
              },
              ...consent.expired.map((f) =>
                line(
                  f,
                  f.future
                    ? {
                        fr: 'date postérieure à aujourd’hui (une coquille\u00a0?), compté comme expiré',
                        en: 'dated after today (a typo?), counts as expired',
                      }
                    : f.expiredOn
                      ? { fr: `expiré le ${f.expiredOn}`, en: `expired on ${f.expiredOn}` }
                      : {
                          fr: 'impossible à vérifier, compté comme expiré',
                          en: 'cannot be checked, counts as expired',
                        },
                ),
              ),
              {
                fr: '  conseil\u00a0: renouvelez le consentement (demandez un consentement exprès) et mettez à jour consent et consent_date, ou retirez la ligne',
                en: '  hint: renew the consent (ask for express consent) and update consent and consent_date, or remove the line',
              },
            ],
            '\n',
          ),
        ),
      );
    if (consent.expiring.length)
      io.stdout(
        io.t(
          joinText(
            [
              {
                fr: `Consentement qui expire d’ici 30 jours, ${formatNumber(consent.expiring.length, 'fr')}`,
                en: `Consent expiring within 30 days, ${consent.expiring.length}`,
              },
              ...consent.expiring.map((f) =>
                line(f, { fr: `expire le ${f.expiredOn}`, en: `expires on ${f.expiredOn}` }),
              ),
            ],
            '\n',
          ),
        ),
      );
  }
  const expired = consent.expired.length;
  const expiring = consent.expiring.length;
  io.stderr(
    io.t({
      fr: `${shown}\u00a0: ${frCount(recipients, 'destinataire', 'destinataires')} (fr ${formatNumber(byLanguage.fr, 'fr')}, en ${formatNumber(byLanguage.en, 'fr')}, bilingues ${formatNumber(byLanguage.bilingual, 'fr')}), ${frCount(suppressed, 'exclu', 'exclus')}, ${frCount(invalid, 'invalide', 'invalides')}, ${frCount(duplicates, 'doublon', 'doublons')}${expired ? `, ${frCount(expired, 'consentement expiré', 'consentements expirés')}` : ''}${expiring ? `, ${frCount(expiring, 'expire', 'expirent')} d’ici 30 jours` : ''}`,
      en: `${shown}: ${enCount(recipients, 'recipient', 'recipients')} (fr ${formatNumber(byLanguage.fr, 'en')}, en ${formatNumber(byLanguage.en, 'en')}, bilingual ${formatNumber(byLanguage.bilingual, 'en')}), ${formatNumber(suppressed, 'en')} suppressed, ${formatNumber(invalid, 'en')} invalid, ${enCount(duplicates, 'duplicate', 'duplicates')}${expired ? `, ${enCount(expired, 'expired consent', 'expired consents')}` : ''}${expiring ? `, ${formatNumber(expiring, 'en')} expiring within 30 days` : ''}`,
    }),
  );
  return errors > 0 ? EXIT.content : EXIT.ok;
}

/**
 * `aimq lists unsubscribe <email> [--reason unsubscribe|bounce|complaint|manual]`: appends
 * the address to lists/suppression.csv; exit 0, also when it was already there; exit 2 for
 * an invalid address or reason.
 */
export async function listsUnsubscribeCommand(
  io: Io,
  email: string,
  opts: { reason?: string },
  now: Date,
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const reasonText = (opts.reason ?? 'unsubscribe').trim().toLowerCase();
  if (!(SUPPRESSION_REASONS as readonly string[]).includes(reasonText)) {
    const suggestion = didYouMean(reasonText, SUPPRESSION_REASONS);
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `--reason doit être l’un de ${SUPPRESSION_REASONS.join(', ')}, pas "${opts.reason}"`,
        en: `--reason must be one of ${SUPPRESSION_REASONS.join(', ')}, not "${opts.reason}"`,
      },
      {
        hint: suggestion
          ? { fr: `vouliez-vous dire "${suggestion}"\u00a0?`, en: `did you mean "${suggestion}"?` }
          : { fr: 'unsubscribe est la valeur par défaut', en: 'unsubscribe is the default' },
      },
    );
  }
  const reason = reasonText as SuppressionReason;
  const address = email.trim();
  if (!isEmail(address)) {
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `"${email}" n’est pas une adresse courriel valide`,
        en: `"${email}" is not a valid e-mail address`,
      },
      { hint: { fr: 'écrivez-la sous la forme nom@example.org', en: 'write it as name@example.org' } },
    );
  }
  const path = suppressionPath(config.root);
  const shown = relative(io.cwd, path) || path;
  const before = readSuppression(path).get(address.toLowerCase());
  const addedToFile = !before && appendSuppression(path, address, reason, now);
  // The outbox's list too, so that dispatchers on other machines (a shared outbox) honour it.
  const outbox = await openExistingOutbox(config, io.cwd, io.env);
  try {
    await outbox?.suppress([{ email: address, reason, date: suppressionDate(now), source: 'manual' }]);
  } finally {
    await outbox?.close();
  }
  if (!addedToFile) {
    const entry = before ?? readSuppression(path).get(address.toLowerCase());
    const detail = (lineWord: string) =>
      entry ? ` (${entry.reason}${entry.date ? `, ${entry.date}` : ''}, ${lineWord} ${entry.line})` : '';
    io.stdout(
      io.t({
        fr: `${address} est déjà dans la liste d’exclusion ${shown}${detail('ligne')}\u00a0: rien à faire`,
        en: `${address} is already suppressed in ${shown}${detail('line')}: nothing to do`,
      }),
    );
    return EXIT.ok;
  }
  io.stdout(
    io.t({
      fr: `${address} ajoutée à ${shown} (${reason})\u00a0: aimq ne lui enverra plus rien`,
      en: `${address} added to ${shown} (${reason}): aimq will not send to it again`,
    }),
  );
  return EXIT.ok;
}

/**
 * `aimq lists suppression export`: the outbox's suppression list written out to
 * lists/suppression.csv (each address missing from the file appended), so that the file
 * stays a readable, editable copy of everything suppressed.
 */
export async function listsSuppressionExportCommand(io: Io): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const path = suppressionPath(config.root);
  const shown = relative(io.cwd, path) || path;
  const outbox = await openExistingOutbox(config, io.cwd, io.env);
  if (!outbox) {
    io.stdout(
      io.t({
        fr: `Pas encore de boîte d’envoi\u00a0: ${shown} est toute la liste d’exclusion.`,
        en: `No outbox yet: ${shown} is the whole suppression list.`,
      }),
    );
    return EXIT.ok;
  }
  let added = 0;
  let total = 0;
  try {
    for (const entry of await outbox.suppression()) {
      total++;
      const date = Date.parse(entry.date);
      if (
        appendSuppression(
          path,
          entry.email,
          parseSuppressionReason(entry.reason),
          new Date(Number.isNaN(date) ? 0 : date),
        )
      )
        added++;
    }
  } finally {
    await outbox.close();
  }
  io.stdout(
    io.t({
      fr: `${frCount(added, 'adresse ajoutée', 'adresses ajoutées')} à ${shown} (${formatNumber(total, 'fr')} dans la liste d’exclusion de la boîte d’envoi).`,
      en: `${added} address(es) added to ${shown} (${total} in the outbox's suppression list).`,
    }),
  );
  return EXIT.ok;
}

/**
 * `aimq lists suppression import [file]`: the addresses of a suppression CSV (by default
 * lists/suppression.csv) added to the outbox's list, where every dispatcher sees them.
 */
export async function listsSuppressionImportCommand(io: Io, file: string | undefined): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const path = file ? resolve(io.cwd, file) : suppressionPath(config.root);
  const shown = relative(io.cwd, path) || path;
  if (!statSync(path, { throwIfNoEntry: false })?.isFile())
    throw new AimqError(
      'AIMQ-LIST-NOT-FOUND',
      { fr: `aucun fichier d’exclusion ${shown}`, en: `no suppression file ${shown}` },
      {
        hint: {
          fr: 'un fichier CSV avec les colonnes email,date,reason',
          en: 'a CSV with the columns email,date,reason',
        },
      },
    );
  const entries = [...readSuppression(path)].map(([email, e]) => ({
    email,
    reason: e.reason,
    date: e.date || suppressionDate(new Date()),
    source: 'list',
  }));
  const outbox = await openOutbox(config, io.cwd, io.env);
  let added: number;
  try {
    added = await outbox.suppress(entries);
  } finally {
    await outbox.close();
  }
  io.stdout(
    io.t({
      fr: `${frCount(added, 'adresse ajoutée', 'adresses ajoutées')} à la liste d’exclusion de la boîte d’envoi (${formatNumber(entries.length, 'fr')} dans ${shown}).`,
      en: `${added} address(es) added to the outbox's suppression list (${entries.length} in ${shown}).`,
    }),
  );
  return EXIT.ok;
}
