import type { DoctorDns } from './dns.js';
import { type Finding, ok } from './finding.js';

/** MX of the From domain: where replies and bounces go. None at all: many receivers refuse the sender. */
export async function checkMx(dns: DoctorDns, domain: string): Promise<Finding> {
  const records = (await dns.mx(domain)).sort((a, b) => a.priority - b.priority);
  const usable = records.filter((r) => r.exchange !== '' && r.exchange !== '.');
  if (!usable.length) {
    return {
      check: 'MX',
      severity: 'error',
      message: records.length
        ? `${domain} has a null MX ("0 ."): it receives no mail, so replies and bounces are lost and receivers may refuse it as a sender`
        : `${domain} has no MX record: replies and bounces cannot be delivered, and many receivers refuse mail from a domain that cannot receive any`,
      fix: `publish an MX record at ${domain} pointing to the server that receives its mail, e.g. "${domain}. MX 10 mail.${domain}." (your mail provider gives the exact host)`,
      where: domain,
    };
  }
  return ok('MX', `${domain}: ${usable.map((r) => `${r.exchange} (${r.priority})`).join(', ')}`, domain);
}
