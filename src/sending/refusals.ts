import { AimqError } from '../errors/index.js';
import { formatNumber } from '../i18n/text.js';

/** `--max-refusals` when not given: listmonk's `max_send_errors` stops a campaign after about as many. */
export const DEFAULT_MAX_REFUSALS = 5;

/**
 * A send stopped because the server refused the message itself (not an address) `count`
 * times in a row: what it said, and what to do. `resume` is how the rows not yet tried go
 * out once the cause is fixed: the same `release send`, or `aimq outbox retry` then
 * dispatch for a scheduled campaign (which dispatch no longer takes up while paused).
 */
export function refusedError(
  campaignId: number,
  refused: { count: number; reply: string },
  left: number,
  resume: 'same-command' | 'dispatch',
): AimqError {
  const n = (v: number) => formatNumber(v, 'fr');
  const leftFr = `${n(left)} ${left < 2 ? 'message n’a pas été essayé' : 'messages n’ont pas été essayés'}`;
  const leftEn = `${left} message(s) were not tried`;
  return new AimqError(
    'AIMQ-SEND-REFUSED',
    {
      fr: `campagne ${campaignId} en pause\u00a0: le serveur SMTP a refusé le message lui-même ${n(refused.count)} fois de suite (${refused.reply})\u00a0; ${leftFr}, pour ne pas faire mettre l’expéditeur sur une liste noire`,
      en: `campaign ${campaignId} paused: the SMTP server refused the message itself ${refused.count} times in a row (${refused.reply}); ${leftEn}, so as not to get the sender blacklisted`,
    },
    {
      hint:
        resume === 'same-command'
          ? {
              fr: `vérifiez le message (sa taille, son contenu, DKIM et SPF\u00a0: aimq doctor) et les réglages du serveur, puis relancez la même commande pour envoyer le reste, et "aimq outbox retry ${campaignId}" pour remettre les refusés dans la file`,
              en: `check the message (its size, its content, DKIM and SPF: aimq doctor) and the server's settings, then run the same command again to send the rest, and "aimq outbox retry ${campaignId}" to queue the refused ones again`,
            }
          : {
              fr: `vérifiez le message (sa taille, son contenu, DKIM et SPF\u00a0: aimq doctor) et les réglages du serveur, puis "aimq outbox retry ${campaignId}"\u00a0: le prochain dispatch envoie le reste et les refusés`,
              en: `check the message (its size, its content, DKIM and SPF: aimq doctor) and the server's settings, then "aimq outbox retry ${campaignId}": the next dispatch sends the rest and the refused ones`,
            },
    },
  );
}
