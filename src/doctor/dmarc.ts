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
        message: `${domain} has no DMARC record at ${name}: Gmail and Yahoo require one from bulk senders`,
        fix: `publish a TXT record at ${name}: "${suggested}" (start with p=none for a few weeks if you are unsure every sender is covered)`,
        where: name,
      },
    ];
  if (records.length > 1)
    return [
      {
        check: 'DMARC',
        severity: 'error',
        message: `${name} has ${records.length} DMARC records: receivers ignore them all (RFC 7489 §6.6.3)`,
        fix: `keep one TXT record at ${name}, e.g. "${suggested}"`,
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
        message: `the DMARC record at ${name} ("${record}") has ${p ? `an invalid policy p=${p}` : 'no policy (p=)'}: receivers ignore it`,
        fix: `publish "${suggested}" at ${name}`,
        where: name,
      },
    ];
  const findings: Finding[] = [];
  if (p === 'none')
    findings.push({
      check: 'DMARC',
      severity: 'warning',
      message: `the DMARC policy of ${domain} is p=none: it is enough for Gmail’s and Yahoo’s bulk-sender rules, but nobody is stopped from sending as ${domain}`,
      fix: `once the reports show that every legitimate sender passes, publish "${record.replace(/p=none/i, 'p=quarantine')}" at ${name}`,
      where: name,
    });
  if (!tags.has('rua'))
    findings.push({
      check: 'DMARC',
      severity: 'warning',
      message: `the DMARC record at ${name} has no rua=: no aggregate reports arrive, so failures go unnoticed`,
      fix: `add "; rua=mailto:dmarc-reports@${domain}" to the record at ${name}`,
      where: name,
    });
  return findings.length ? findings : [ok('DMARC', `${name}: "${record}"`, name)];
}
