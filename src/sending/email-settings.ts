import { AimqError } from '../errors/index.js';
import type { Config } from '../model/config.js';

/** What every message needs from the config: a sender, an unsubscribe address, a postal address (CASL). */
export function requireEmail(config: Config): void {
  if (!config.email) {
    throw new AimqError(
      'AIMQ-EMAIL-CONFIG',
      `${config.file} has no email: settings, which sending needs (sender, unsubscribe)`,
      { file: config.file, hint: 'add email: { from: "Name <address>", unsubscribe: { mailto: address } }' },
    );
  }
  if (!config.organization.postalAddress) {
    throw new AimqError(
      'AIMQ-EMAIL-CONFIG',
      'organization.postalAddress is missing: Canada’s anti-spam law requires it in every message',
      { file: config.file, hint: 'add organization.postalAddress' },
    );
  }
}
