import { createPublicKey } from 'node:crypto';
import type { DkimKey } from '../message/compose.js';
import type { DoctorDns } from './dns.js';
import { dmarcTags } from './dmarc.js';
import { joinText, type Text } from '../i18n/text.js';
import { type Finding, ok, relaxedAligned } from './finding.js';

/**
 * The `p=` a DKIM record must hold for a private key: for RSA the SubjectPublicKeyInfo (DER,
 * base64); for Ed25519 the raw 32-byte public key (RFC 8463 §4.2).
 */
export function dkimPublicKey(privateKeyPem: string): { type: 'rsa' | 'ed25519'; p: string } {
  const key = createPublicKey(privateKeyPem);
  const der = key.export({ type: 'spki', format: 'der' });
  const type = key.asymmetricKeyType === 'ed25519' ? 'ed25519' : 'rsa';
  return { type, p: (type === 'ed25519' ? der.subarray(der.length - 32) : der).toString('base64') };
}

/** The record to publish, as DNS zone text: strings of at most 255 characters (RFC 7208 §3.3 and DNS). */
export function dkimRecordText(type: string, p: string): string {
  const text = `v=DKIM1; k=${type}; p=${p}`;
  const strings = text.match(/.{1,255}/g) ?? [text];
  return strings.map((s) => `"${s}"`).join(' ');
}

/**
 * The DKIM key published at `<selector>._domainkey.<domain>` against the configured private
 * key: present, of the same type (k=, rsa when absent) and the same public key (p=). A TXT
 * record split into several strings is read joined.
 */
export async function checkDkim(dns: DoctorDns, key: DkimKey): Promise<Finding> {
  const name = `${key.keySelector}._domainkey.${key.domainName}`;
  const expected = dkimPublicKey(key.privateKey);
  const record = dkimRecordText(expected.type, expected.p);
  const publish: Text = {
    fr: `publiez un enregistrement TXT à ${name}\u00a0: ${record}`,
    en: `publish a TXT record at ${name}: ${record}`,
  };
  const records = (await dns.txt(name)).filter((t) => /(^|;)\s*p=/i.test(t));
  if (!records.length)
    return {
      check: 'DKIM',
      severity: 'error',
      message: {
        fr: `aucune clé DKIM n’est publiée à ${name}\u00a0: les serveurs destinataires ne peuvent pas vérifier la signature, qui compte donc comme absente`,
        en: `no DKIM key is published at ${name}: receivers cannot check the signature, so it counts as none`,
      },
      fix: publish,
      where: name,
    };
  const problems: Text[] = [];
  for (const record of records) {
    const tags = dmarcTags(record);
    const k = (tags.get('k') ?? 'rsa').toLowerCase();
    const p = (tags.get('p') ?? '').replace(/\s+/g, '');
    if (p === expected.p && k === expected.type)
      return ok(
        'DKIM',
        {
          fr: `${name}\u00a0: la clé ${k} correspond à la clé privée configurée`,
          en: `${name}: ${k} key matches the configured private key`,
        },
        name,
      );
    if (p === '')
      problems.push({
        fr: 'son p= est vide\u00a0: la clé est révoquée',
        en: 'its p= is empty: the key is revoked',
      });
    else if (k !== expected.type)
      problems.push({
        fr: `il indique k=${k}, mais la clé privée configurée est une clé ${expected.type === 'rsa' ? 'RSA' : 'Ed25519'}`,
        en: `it says k=${k} but the configured private key is ${expected.type === 'rsa' ? 'an RSA' : 'an Ed25519'} key`,
      });
    else
      problems.push({
        fr: 'son p= est une autre clé publique que celle de la clé privée configurée',
        en: 'its p= is another public key than the one of the configured private key',
      });
  }
  return {
    check: 'DKIM',
    severity: 'error',
    message: joinText([
      {
        fr: `l’enregistrement DKIM à ${name} ne correspond pas à la clé configurée\u00a0: `,
        en: `the DKIM record at ${name} does not match the configured key: `,
      },
      joinText(problems, { fr: '\u00a0; ', en: '; ' }),
      { fr: '. Toutes les signatures échouent', en: '. Every signature fails' },
    ]),
    fix: joinText([
      { fr: 'remplacez-le\u00a0: ', en: 'replace it: ' },
      publish,
      {
        fr: ' (ou configurez la clé privée qui va avec la clé publiée)',
        en: ' (or configure the private key that goes with the published one)',
      },
    ]),
    where: name,
  };
}

/** DKIM's d= against the From domain, in DMARC's relaxed mode (suffix match, see relaxedAligned). */
export function checkAlignment(key: DkimKey, fromDomain: string, where: string): Finding {
  if (relaxedAligned(key.domainName, fromDomain))
    return ok('alignment', {
      fr: `DKIM d=${key.domainName} est aligné sur l’expéditeur (From) ${fromDomain} (mode souple)`,
      en: `DKIM d=${key.domainName} is aligned with From ${fromDomain} (relaxed)`,
    });
  return {
    check: 'alignment',
    severity: 'error',
    message: {
      fr: `les courriels sont signés pour d=${key.domainName}, mais envoyés avec l’expéditeur (From) ${fromDomain}\u00a0: la signature ne compte pas pour DMARC, et un courriel transféré y échoue alors`,
      en: `messages are signed for d=${key.domainName} but sent From ${fromDomain}: the signature does not count for DMARC, and a forwarded message then fails it`,
    },
    fix: {
      fr: `donnez à email.dkim.domainName la valeur ${fromDomain} (ou un de ses sous-domaines) et publiez-y la clé`,
      en: `set email.dkim.domainName to ${fromDomain} (or a subdomain of it) and publish the key there`,
    },
    where,
  };
}
