import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { findReleaseDirs } from '../../load/discover.js';
import { loadConfig } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { exportEdition, type ExportFormat } from '../../export/export.js';
import { loadValid, type ValidRelease } from '../../load/parsed.js';
import type { Config } from '../../model/config.js';
import { loadDkimKey } from '../../message/dkim-key.js';
import { emailEditions } from '../../render-email/edition.js';
import { loadEmailLayout } from '../../render-email/layout.js';
import { createTemplateEngine } from '../../templating/engine.js';
import { nowOption } from '../../time/clock.js';
import type { Io } from '../main.js';

export interface ExportCommandOptions {
  format: ExportFormat | 'pdf';
  edition?: string;
  out?: string;
  embedImages?: boolean;
  now?: string;
}

/** `aimq release export`: one e-mail edition as a file (or on stdout), for other tools and people. */
export async function exportCommand(
  io: Io,
  dir: string,
  opts: ExportCommandOptions,
  write: (data: Buffer) => void,
): Promise<number> {
  if (opts.format === 'pdf' && !opts.out && io.stdoutIsTTY)
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: 'un PDF ne s’écrit pas dans le terminal',
        en: 'a PDF is not written to the terminal',
      },
      {
        hint: {
          fr: `ajoutez --out <fichier-ou-dossier>, ou redirigez la sortie\u00a0: aimq release export ${dir} --format pdf > communique.pdf`,
          en: `add --out <file-or-dir>, or redirect the output: aimq release export ${dir} --format pdf > release.pdf`,
        },
      },
    );
  const config = loadConfig(io.cwd, io.cwd);
  const [dirAbs] = findReleaseDirs(config.root, io.cwd, [dir]);
  const source = loadValid(dirAbs!, config);
  const edition =
    opts.edition ??
    (emailEditions(source.release).includes('bilingual') ? 'bilingual' : source.release.editions[0]!.lang);
  const now = new Date(opts.now === undefined ? Date.now() : nowOption(opts.now, config.timeZone));
  const data =
    opts.format === 'pdf'
      ? await exportPdf(source, config, edition, now.getTime(), io.env)
      : await exportMessage(source, config, opts.format, edition, now, Boolean(opts.embedImages), io.env);
  if (!opts.out) {
    write(data);
    return EXIT.ok;
  }
  let target = resolve(io.cwd, opts.out);
  if (opts.out.endsWith('/') || (existsSync(target) && statSync(target).isDirectory()))
    target = join(target, `${source.release.id}.${edition}.${opts.format}`);
  const shown = relative(io.cwd, target) || target;
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  } catch (err) {
    throw new AimqError(
      'AIMQ-OUTPUT-UNWRITABLE',
      {
        fr: `impossible d’écrire ${shown} (${(err as NodeJS.ErrnoException).code ?? 'erreur'})`,
        en: `cannot write ${shown} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      },
      { file: shown, hint: { fr: 'choisissez un autre --out', en: 'choose another --out' }, cause: err },
    );
  }
  io.stdout(shown);
  return EXIT.ok;
}

/** The PDF of an edition, printed by Chromium from the release's web page(s). */
async function exportPdf(
  source: ValidRelease,
  config: Config,
  edition: string,
  now: number,
  env: NodeJS.ProcessEnv,
): Promise<Buffer> {
  const { printReleasePdfs } = await import('../../pdf/release.js');
  return (await printReleasePdfs(source, config, [edition], now, env)).get(edition)!;
}

async function exportMessage(
  source: ValidRelease,
  config: Config,
  format: ExportFormat,
  edition: string,
  now: Date,
  embedImages: boolean,
  env: NodeJS.ProcessEnv,
): Promise<Buffer> {
  const layout = await loadEmailLayout(
    createTemplateEngine('email', config.root),
    join(config.root, '.aimq'),
  );
  const dkim = format === 'eml' ? loadDkimKey(config, env) : undefined;
  return exportEdition(source, config, layout, {
    format,
    edition,
    embedImages,
    now,
    ...(dkim ? { dkim } : {}),
  });
}
