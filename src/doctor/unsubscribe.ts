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
    throw new AimqError('AIMQ-USAGE', `--unsubscribe-url: "${text}" is not a URL`, {
      hint: 'for example --unsubscribe-url http://127.0.0.1:8080/unsubscribe',
    });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(host)))
    throw new AimqError(
      'AIMQ-USAGE',
      `--unsubscribe-url: ${url.origin} is neither https nor on this machine`,
      {
        hint: 'one-click unsubscribe (RFC 8058) is https only; plain http is accepted for 127.0.0.1, ::1 and localhost',
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
      message:
        'no one-click unsubscribe URL is configured: Gmail and Yahoo require one-click unsubscribe (RFC 8058) from bulk senders',
      fix: 'set email.unsubscribe.url to the https address of "aimq unsubscribe serve" behind your web server',
      where: o.where,
    };
  if (!o.secret)
    return {
      check: 'unsubscribe',
      severity: 'warning',
      message:
        'AIMQ_UNSUBSCRIBE_SECRET is not set: the endpoint cannot be tested, and a send refuses one-click without it',
      fix: `set AIMQ_UNSUBSCRIBE_SECRET (at least ${MIN_SECRET} characters, the same as the endpoint’s) in the environment`,
    };
  if (o.secret.length < MIN_SECRET)
    return {
      check: 'unsubscribe',
      severity: 'error',
      message: `AIMQ_UNSUBSCRIBE_SECRET is shorter than ${MIN_SECRET} characters: tokens signed with it could be forged`,
      fix: 'set it to a longer random value, e.g. the output of "openssl rand -base64 33", on the sending machines and the endpoint alike',
    };
  const target = new URL(o.url);
  target.searchParams.set('t', signUnsubscribeToken(o.secret, TEST_CAMPAIGN, 0));
  const shown = `${o.url}${o.url.includes('?') ? '&' : '?'}t=<test token>`;
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
      message: `the one-click endpoint ${shown} did not answer a POST (${cause})`,
      fix: 'start "aimq unsubscribe serve" and check that the web server forwards this path to it',
      where: o.where,
    };
  }
  if (status === 200) return ok('unsubscribe', `POST ${shown} with List-Unsubscribe=One-Click: 200`);
  const why =
    status >= 300 && status < 400
      ? 'a redirect, which one-click clients do not follow'
      : status === 400
        ? 'the endpoint refused the test token: its AIMQ_UNSUBSCRIBE_SECRET differs from this one'
        : status === 502 || status === 503 || status === 504
          ? 'the web server in front of it could not reach the endpoint'
          : 'one-click clients need 200';
  return {
    check: 'unsubscribe',
    severity: 'error',
    message: `POST ${shown} with List-Unsubscribe=One-Click answered ${status}: ${why}`,
    fix:
      status === 400
        ? 'give the endpoint and the sending machines the same AIMQ_UNSUBSCRIBE_SECRET'
        : 'check that "aimq unsubscribe serve" runs and that the web server forwards this path to it unchanged',
    where: o.where,
  };
}
