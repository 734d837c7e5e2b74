import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Config } from '../model/config.js';
import { AimqError } from '../errors/index.js';
import { type Campaign, Outbox } from '../outbox/outbox.js';
import { sendTunables } from './tunables.js';

/** The project's outbox, created if need be. */
export function openOutbox(config: Config, cwd: string, env: NodeJS.ProcessEnv): Outbox {
  return Outbox.open(config.outbox, relative(cwd, config.outbox) || config.outbox, {
    busyTimeoutMs: sendTunables(env).outboxBusyMs,
  });
}

/** The project's outbox, or undefined when nothing has been sent or scheduled yet (it is not created just to be read). */
export function openExistingOutbox(config: Config, cwd: string, env: NodeJS.ProcessEnv): Outbox | undefined {
  return existsSync(config.outbox) ? openOutbox(config, cwd, env) : undefined;
}

/** The campaign a command-line id names; AIMQ-CAMPAIGN-NOT-FOUND otherwise. */
export async function campaignOf(outbox: Outbox, id: string): Promise<Campaign> {
  const campaign = /^\d+$/.test(id) ? await outbox.campaign(Number(id)) : undefined;
  if (!campaign)
    throw new AimqError('AIMQ-CAMPAIGN-NOT-FOUND', `no campaign ${id} in the outbox`, {
      hint: 'list them with: aimq outbox list',
    });
  return campaign;
}

/**
 * A throwaway copy of the project's outbox (an empty outbox when there is none yet), for a
 * rehearsal: whatever it records is gone when it is closed.
 */
export function rehearsalOutbox(config: Config, cwd: string, env: NodeJS.ProcessEnv): Outbox {
  const shown = relative(cwd, config.outbox) || config.outbox;
  const busyTimeoutMs = sendTunables(env).outboxBusyMs;
  const dir = mkdtempSync(join(tmpdir(), 'aimq-rehearsal-'));
  const copy = join(dir, 'outbox.sqlite');
  try {
    if (existsSync(config.outbox)) Outbox.copy(config.outbox, shown, copy, { busyTimeoutMs });
    const outbox = Outbox.open(copy, `${shown} (a rehearsal's copy)`, { busyTimeoutMs });
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
