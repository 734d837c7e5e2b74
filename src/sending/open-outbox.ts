import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Config } from '../model/config.js';
import type { Text } from '../i18n/text.js';
import { AimqError } from '../errors/index.js';
import { type Campaign, Outbox } from '../outbox/outbox.js';
import { isPostgresUrl, openPostgres, redactUrl } from '../outbox/postgres/store.js';
import { sendTunables } from './tunables.js';

/**
 * Where the outbox is: AIMQ_OUTBOX_URL when set (a CI secret, a systemd unit's environment),
 * else `outbox:` of the configuration; a postgres:// URL or a SQLite file.
 */
export function outboxLocation(config: Config, env: NodeJS.ProcessEnv): string {
  return env.AIMQ_OUTBOX_URL?.trim() || config.outbox;
}

/** How the outbox is named in messages: a path relative to the project, or the URL without its password. */
export function outboxShown(config: Config, cwd: string, env: NodeJS.ProcessEnv): string {
  const location = outboxLocation(config, env);
  return isPostgresUrl(location) ? redactUrl(location) : relative(cwd, location) || location;
}

/** The project's outbox, created if need be. */
export async function openOutbox(config: Config, cwd: string, env: NodeJS.ProcessEnv): Promise<Outbox> {
  const location = outboxLocation(config, env);
  if (isPostgresUrl(location)) return openPostgres(location);
  return Outbox.open(location, relative(cwd, location) || location, {
    busyTimeoutMs: sendTunables(env).outboxBusyMs,
  });
}

/**
 * The project's outbox, or undefined when nothing has been sent or scheduled yet (a SQLite
 * file is not created just to be read; a PostgreSQL outbox gets its schema).
 */
export async function openExistingOutbox(
  config: Config,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Outbox | undefined> {
  const location = outboxLocation(config, env);
  return isPostgresUrl(location) || existsSync(location) ? openOutbox(config, cwd, env) : undefined;
}

/**
 * The outbox that should hold campaign `id`; AIMQ-CAMPAIGN-NOT-FOUND, with `hint` (what to do
 * first), when there is no outbox at all.
 */
export async function outboxOfCampaign(
  config: Config,
  cwd: string,
  env: NodeJS.ProcessEnv,
  id: string,
  hint: Text,
): Promise<Outbox> {
  const outbox = await openExistingOutbox(config, cwd, env);
  if (!outbox)
    throw new AimqError(
      'AIMQ-CAMPAIGN-NOT-FOUND',
      {
        fr: `aucune campagne ${id}\u00a0: il n’y a pas encore de boîte d’envoi`,
        en: `no campaign ${id}: there is no outbox yet`,
      },
      { hint },
    );
  return outbox;
}

/** The campaign a command-line id names; AIMQ-CAMPAIGN-NOT-FOUND otherwise. */
export async function campaignOf(outbox: Outbox, id: string): Promise<Campaign> {
  const campaign = /^\d+$/.test(id) ? await outbox.campaign(Number(id)) : undefined;
  if (!campaign)
    throw new AimqError(
      'AIMQ-CAMPAIGN-NOT-FOUND',
      { fr: `aucune campagne ${id} dans la boîte d’envoi`, en: `no campaign ${id} in the outbox` },
      {
        hint: {
          fr: 'pour les lister\u00a0: aimq outbox list',
          en: 'list them with: aimq outbox list',
        },
      },
    );
  return campaign;
}

/**
 * A throwaway copy of the project's outbox (an empty outbox when there is none yet), for a
 * rehearsal: whatever it records is gone when it is closed.
 */
export async function rehearsalOutbox(config: Config, cwd: string, env: NodeJS.ProcessEnv): Promise<Outbox> {
  const location = outboxLocation(config, env);
  if (isPostgresUrl(location))
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: 'une répétition (dispatch avec --now) ne fonctionne qu’avec une boîte d’envoi SQLite',
        en: 'a rehearsal (dispatch with --now) works on a SQLite outbox only',
      },
      {
        hint: {
          fr: 'répétez sur une copie (aimq outbox migrate-to en est un moyen)\u00a0; ou retirez AIMQ_OUTBOX_URL le temps de la répétition',
          en: 'rehearse on a copy: aimq outbox migrate-to is one way; or unset AIMQ_OUTBOX_URL for the rehearsal',
        },
      },
    );
  const shown = relative(cwd, location) || location;
  const busyTimeoutMs = sendTunables(env).outboxBusyMs;
  const dir = mkdtempSync(join(tmpdir(), 'aimq-rehearsal-'));
  const copy = join(dir, 'outbox.sqlite');
  try {
    if (existsSync(location)) Outbox.copy(location, shown, copy, { busyTimeoutMs });
    const outbox = Outbox.open(
      copy,
      { fr: `${shown} (copie de répétition)`, en: `${shown} (a rehearsal's copy)` },
      { busyTimeoutMs },
    );
    const close = outbox.close;
    outbox.close = async () => {
      try {
        await close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    return outbox;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
