import { isLoopback } from '../dispatch/transport.js';
import { AimqError } from '../errors/index.js';
import { signUnsubscribeToken, TEST_CAMPAIGN } from '../message/unsubscribe-token.js';
import { type Finding, ok } from './finding.js';

/** The secret's minimum length (issue 14 contract). */
const MIN_SECRET = 32;

/**
 * An endpoint given on the command line instead of the config's: https anywhere, or plain
 * http on this machine only (a test, or the endpoint behind its proxy).
 */
export function parseEndpointOverride(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `--unsubscribe-url\u00a0: "${text}" n’est pas une URL`,
        en: `--unsubscribe-url: "${text}" is not a URL`,
      },
      {
        hint: {
          fr: 'par exemple --unsubscribe-url http://127.0.0.1:8080/unsubscribe',
          en: 'for example --unsubscribe-url http://127.0.0.1:8080/unsubscribe',
        },
      },
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(host)))
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `--unsubscribe-url\u00a0: ${url.origin} n’est ni en https ni sur cette machine`,
        en: `--unsubscribe-url: ${url.origin} is neither https nor on this machine`,
      },
      {
        hint: {
          fr: 'le désabonnement en un clic (RFC 8058) n’accepte que https\u00a0; le http simple est accepté pour 127.0.0.1, ::1 et localhost',
          en: 'one-click unsubscribe (RFC 8058) is https only; plain http is accepted for 127.0.0.1, ::1 and localhost',
        },
      },
    );
  return url;
}

/**
 * The one-click endpoint answering a POST `List-Unsubscribe=One-Click` for a test token
 * (campaign 0, which it answers and does not record), as Gmail's button sends it. Needs
 * 200; a redirect, another status or no answer is an error.
 */
export async function checkUnsubscribe(o: {
  /** The configured `email.unsubscribe.url`, or the override. */
  url: string | undefined;
  secret: string | undefined;
  where: string;
  timeoutMs: number;
}): Promise<Finding> {
  if (!o.url || !/^https?:\/\//i.test(o.url))
    return {
      check: 'unsubscribe',
      severity: 'warning',
      message: {
        fr: 'aucune URL de désabonnement en un clic n’est configurée\u00a0: Gmail et Yahoo exigent le désabonnement en un clic (RFC 8058) des expéditeurs de masse',
        en: 'no one-click unsubscribe URL is configured: Gmail and Yahoo require one-click unsubscribe (RFC 8058) from bulk senders',
      },
      fix: {
        fr: 'donnez à email.unsubscribe.url l’adresse https de "aimq unsubscribe serve" derrière votre serveur Web',
        en: 'set email.unsubscribe.url to the https address of "aimq unsubscribe serve" behind your web server',
      },
      where: o.where,
    };
  if (!o.secret)
    return {
      check: 'unsubscribe',
      severity: 'warning',
      message: {
        fr: 'AIMQ_UNSUBSCRIBE_SECRET n’est pas défini\u00a0: le point de désabonnement ne peut pas être testé, et un envoi refuse le désabonnement en un clic sans ce secret',
        en: 'AIMQ_UNSUBSCRIBE_SECRET is not set: the endpoint cannot be tested, and a send refuses one-click without it',
      },
      fix: {
        fr: `définissez AIMQ_UNSUBSCRIBE_SECRET dans l’environnement (au moins ${MIN_SECRET} caractères, le même que celui du point de désabonnement)`,
        en: `set AIMQ_UNSUBSCRIBE_SECRET (at least ${MIN_SECRET} characters, the same as the endpoint’s) in the environment`,
      },
    };
  if (o.secret.length < MIN_SECRET)
    return {
      check: 'unsubscribe',
      severity: 'error',
      message: {
        fr: `AIMQ_UNSUBSCRIBE_SECRET compte moins de ${MIN_SECRET} caractères\u00a0: les jetons signés avec lui pourraient être contrefaits`,
        en: `AIMQ_UNSUBSCRIBE_SECRET is shorter than ${MIN_SECRET} characters: tokens signed with it could be forged`,
      },
      fix: {
        fr: 'donnez-lui une valeur aléatoire plus longue, par exemple le résultat de "openssl rand -base64 33", sur les machines d’envoi comme sur le point de désabonnement',
        en: 'set it to a longer random value, e.g. the output of "openssl rand -base64 33", on the sending machines and the endpoint alike',
      },
    };
  const target = new URL(o.url);
  target.searchParams.set('t', signUnsubscribeToken(o.secret, TEST_CAMPAIGN, 0));
  const query = `${o.url}${o.url.includes('?') ? '&' : '?'}t=`;
  const shown = { fr: `${query}<jeton d’essai>`, en: `${query}<test token>` };
  let status: number;
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    status = res.status;
    await res.body?.cancel();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    return {
      check: 'unsubscribe',
      severity: 'error',
      message: {
        fr: `le point de désabonnement en un clic ${shown.fr} n’a pas répondu à un POST (${cause})`,
        en: `the one-click endpoint ${shown.en} did not answer a POST (${cause})`,
      },
      fix: {
        fr: 'lancez "aimq unsubscribe serve" et vérifiez que le serveur Web lui transmet ce chemin',
        en: 'start "aimq unsubscribe serve" and check that the web server forwards this path to it',
      },
      where: o.where,
    };
  }
  if (status === 200)
    return ok('unsubscribe', {
      fr: `POST ${shown.fr} avec List-Unsubscribe=One-Click\u00a0: 200`,
      en: `POST ${shown.en} with List-Unsubscribe=One-Click: 200`,
    });
  const why =
    status >= 300 && status < 400
      ? {
          fr: 'une redirection, que les logiciels de désabonnement en un clic ne suivent pas',
          en: 'a redirect, which one-click clients do not follow',
        }
      : status === 400
        ? {
            fr: 'le point de désabonnement a refusé le jeton d’essai\u00a0: son AIMQ_UNSUBSCRIBE_SECRET diffère de celui-ci',
            en: 'the endpoint refused the test token: its AIMQ_UNSUBSCRIBE_SECRET differs from this one',
          }
        : status === 502 || status === 503 || status === 504
          ? {
              fr: 'le serveur Web placé devant n’a pas pu joindre le point de désabonnement',
              en: 'the web server in front of it could not reach the endpoint',
            }
          : {
              fr: 'les logiciels de désabonnement en un clic attendent 200',
              en: 'one-click clients need 200',
            };
  return {
    check: 'unsubscribe',
    severity: 'error',
    message: {
      fr: `POST ${shown.fr} avec List-Unsubscribe=One-Click a reçu ${status}\u00a0: ${why.fr}`,
      en: `POST ${shown.en} with List-Unsubscribe=One-Click answered ${status}: ${why.en}`,
    },
    fix:
      status === 400
        ? {
            fr: 'donnez le même AIMQ_UNSUBSCRIBE_SECRET au point de désabonnement et aux machines d’envoi',
            en: 'give the endpoint and the sending machines the same AIMQ_UNSUBSCRIBE_SECRET',
          }
        : {
            fr: 'vérifiez que "aimq unsubscribe serve" tourne et que le serveur Web lui transmet ce chemin sans le modifier',
            en: 'check that "aimq unsubscribe serve" runs and that the web server forwards this path to it unchanged',
          },
    where: o.where,
  };
}
