import { AimqError } from '../errors/index.js';
import type { Config } from '../model/config.js';

/** What every message needs from the config: a sender, an unsubscribe address, a postal address (CASL). */
export function requireEmail(config: Config): void {
  if (!config.email) {
    throw new AimqError(
      'AIMQ-EMAIL-CONFIG',
      {
        fr: `${config.file} n’a pas de réglages \`email:\`, dont l’envoi a besoin (expéditeur, désabonnement)`,
        en: `${config.file} has no email: settings, which sending needs (sender, unsubscribe)`,
      },
      {
        file: config.file,
        hint: {
          fr: 'ajoutez `email: { from: "Nom <adresse>", unsubscribe: { mailto: adresse } }`',
          en: 'add email: { from: "Name <address>", unsubscribe: { mailto: address } }',
        },
      },
    );
  }
  if (!config.organization.postalAddress) {
    throw new AimqError(
      'AIMQ-EMAIL-CONFIG',
      {
        fr: 'organization.postalAddress manque\u00a0: la Loi canadienne anti-pourriel l’exige dans chaque courriel',
        en: 'organization.postalAddress is missing: Canada’s anti-spam law requires it in every message',
      },
      {
        file: config.file,
        hint: { fr: 'ajoutez organization.postalAddress', en: 'add organization.postalAddress' },
      },
    );
  }
}
