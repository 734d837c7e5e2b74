import type { DoctorDns } from './dns.js';
import { type Finding, ok } from './finding.js';

/** `p=none; rua=…` → Map: tag names lower-cased, values trimmed. */
export function dmarcTags(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return tags;
}

/**
 * The DMARC policy at `_dmarc.<domain>`: Gmail and Yahoo require one from bulk senders
 * (5,000 messages a day), p=none is accepted but protects nothing; rua= is how reports
 * arrive.
 */
export async function checkDmarc(dns: DoctorDns, domain: string): Promise<Finding[]> {
  const name = `_dmarc.${domain}`;
  const records = (await dns.txt(name)).filter((t) => /^v=DMARC1(\s*;|\s*$)/i.test(t.trim()));
  const suggested = `v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@${domain}`;
  if (!records.length)
    return [
      {
        check: 'DMARC',
        severity: 'error',
        message: {
          fr: `${domain} n’a aucun enregistrement DMARC à ${name}\u00a0: Gmail et Yahoo en exigent un des expéditeurs de masse`,
          en: `${domain} has no DMARC record at ${name}: Gmail and Yahoo require one from bulk senders`,
        },
        fix: {
          fr: `publiez un enregistrement TXT à ${name}\u00a0: "${suggested}" (commencez par p=none pendant quelques semaines si vous n’êtes pas certain que chaque expéditeur est couvert)`,
          en: `publish a TXT record at ${name}: "${suggested}" (start with p=none for a few weeks if you are unsure every sender is covered)`,
        },
        where: name,
      },
    ];
  if (records.length > 1)
    return [
      {
        check: 'DMARC',
        severity: 'error',
        message: {
          fr: `${name} a ${records.length} enregistrements DMARC\u00a0: les serveurs destinataires les ignorent tous (RFC 7489, § 6.6.3)`,
          en: `${name} has ${records.length} DMARC records: receivers ignore them all (RFC 7489 §6.6.3)`,
        },
        fix: {
          fr: `gardez un seul enregistrement TXT à ${name}, par exemple "${suggested}"`,
          en: `keep one TXT record at ${name}, e.g. "${suggested}"`,
        },
        where: name,
      },
    ];
  const record = records[0]!.trim();
  const tags = dmarcTags(record);
  const p = tags.get('p')?.toLowerCase();
  if (!p || !['none', 'quarantine', 'reject'].includes(p))
    return [
      {
        check: 'DMARC',
        severity: 'error',
        message: {
          fr: `l’enregistrement DMARC à ${name} ("${record}") ${p ? `a une politique non valide p=${p}` : 'n’a pas de politique (p=)'}\u00a0: les serveurs destinataires l’ignorent`,
          en: `the DMARC record at ${name} ("${record}") has ${p ? `an invalid policy p=${p}` : 'no policy (p=)'}: receivers ignore it`,
        },
        fix: { fr: `publiez "${suggested}" à ${name}`, en: `publish "${suggested}" at ${name}` },
        where: name,
      },
    ];
  const findings: Finding[] = [];
  const quarantine = record.replace(/p=none/i, 'p=quarantine');
  if (p === 'none')
    findings.push({
      check: 'DMARC',
      severity: 'warning',
      message: {
        fr: `la politique DMARC de ${domain} est p=none\u00a0: elle suffit aux règles de Gmail et de Yahoo pour les expéditeurs de masse, mais n’empêche personne d’envoyer au nom de ${domain}`,
        en: `the DMARC policy of ${domain} is p=none: it is enough for Gmail’s and Yahoo’s bulk-sender rules, but nobody is stopped from sending as ${domain}`,
      },
      fix: {
        fr: `quand les rapports montrent que chaque expéditeur légitime passe, publiez "${quarantine}" à ${name}`,
        en: `once the reports show that every legitimate sender passes, publish "${quarantine}" at ${name}`,
      },
      where: name,
    });
  if (!tags.has('rua'))
    findings.push({
      check: 'DMARC',
      severity: 'warning',
      message: {
        fr: `l’enregistrement DMARC à ${name} n’a pas de rua=\u00a0: aucun rapport agrégé n’arrive, et les échecs passent donc inaperçus`,
        en: `the DMARC record at ${name} has no rua=: no aggregate reports arrive, so failures go unnoticed`,
      },
      fix: {
        fr: `ajoutez "; rua=mailto:dmarc-reports@${domain}" à l’enregistrement à ${name}`,
        en: `add "; rua=mailto:dmarc-reports@${domain}" to the record at ${name}`,
      },
      where: name,
    });
  return findings.length
    ? findings
    : [ok('DMARC', { fr: `${name}\u00a0: "${record}"`, en: `${name}: "${record}"` }, name)];
}
