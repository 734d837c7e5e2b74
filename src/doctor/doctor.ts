import { AimqError } from '../errors/index.js';
import { joinText, type Message } from '../i18n/text.js';
import { loadDkimKey } from '../message/dkim-key.js';
import type { Config } from '../model/config.js';
import { checkAlignment, checkDkim } from './dkim.js';
import { checkDmarc } from './dmarc.js';
import type { DoctorDns } from './dns.js';
import { configWhere, type Finding } from './finding.js';
import { checkMx } from './mx.js';
import { checkSmtp } from './smtp.js';
import { checkSpf } from './spf.js';
import { checkUnsubscribe } from './unsubscribe.js';

export interface DoctorInput {
  config: Config;
  env: NodeJS.ProcessEnv;
  dns: DoctorDns;
  /** An endpoint to test instead of `email.unsubscribe.url` (already checked: https, or http on loopback). */
  unsubscribeUrl?: string;
  insecure: boolean;
  timeoutMs: number;
}

export interface DoctorReport {
  domain: string;
  dns: Message;
  findings: Finding[];
  errors: number;
  warnings: number;
}

/**
 * Everything that decides whether messages arrive, in the order a receiver meets it: the
 * From domain's MX, SPF and DMARC, the DKIM key and its alignment, the SMTP server, the
 * one-click endpoint. The From address is also the envelope sender (Return-Path), so one
 * domain answers for both.
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const { config, dns } = input;
  const email = config.email;
  if (!email)
    throw new AimqError(
      'AIMQ-EMAIL-CONFIG',
      {
        fr: 'la configuration n’a pas de section email\u00a0: il n’y a rien à vérifier',
        en: 'the config has no email section: there is nothing to check',
      },
      {
        file: config.file,
        hint: {
          fr: 'ajoutez `email:` avec `from:` et `unsubscribe:` (voir le README, section Sending)',
          en: 'add email: with from: and unsubscribe: (see the README, Sending)',
        },
      },
    );
  const domain = email.from.address.split('@')[1]!.toLowerCase();
  const findings: Finding[] = [];
  findings.push(await checkMx(dns, domain));
  findings.push(...(await checkSpf(dns, domain)));
  findings.push(...(await checkDmarc(dns, domain)));
  if (!email.dkim)
    findings.push({
      check: 'DKIM',
      severity: 'warning',
      message: {
        fr: 'les courriels ne sont pas signés avec DKIM\u00a0: Gmail et Yahoo exigent que DKIM ou SPF soit valide, et DMARC ne repose alors que sur SPF',
        en: 'messages are not DKIM-signed: Gmail and Yahoo require DKIM or SPF to pass, and DMARC then rests on SPF alone',
      },
      fix: {
        fr: 'ajoutez email.dkim (domainName, keySelector, privateKeyEnv ou privateKeyFile) et publiez la clé publique',
        en: 'add email.dkim (domainName, keySelector, privateKeyEnv or privateKeyFile) and publish the public key',
      },
      where: configWhere(config, ['email']),
    });
  else {
    try {
      const key = loadDkimKey(config, input.env)!;
      findings.push(await checkDkim(dns, key));
      findings.push(checkAlignment(key, domain, configWhere(config, ['email', 'dkim', 'domainName'])));
    } catch (err) {
      if (!(err instanceof AimqError) || err.code !== 'AIMQ-DKIM-KEY') throw err;
      findings.push({
        check: 'DKIM',
        severity: 'error',
        message: joinText([err.text, ` [${err.code}]`]),
        ...(err.hint ? { fix: err.hint } : {}),
        where: configWhere(config, ['email', 'dkim']),
      });
    }
  }
  findings.push(await checkSmtp(config, input.env, { insecure: input.insecure, timeoutMs: input.timeoutMs }));
  findings.push(
    await checkUnsubscribe({
      url: input.unsubscribeUrl ?? email.unsubscribe.url,
      secret: input.env.AIMQ_UNSUBSCRIBE_SECRET,
      where: configWhere(config, ['email', 'unsubscribe', 'url']),
      timeoutMs: input.timeoutMs,
    }),
  );
  return {
    domain,
    dns: dns.server,
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  };
}
