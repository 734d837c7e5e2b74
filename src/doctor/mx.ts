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
        ? {
            fr: `${domain} a un MX nul ("0 .")\u00a0: il ne reçoit aucun courriel, les réponses et les retours sont donc perdus, et les serveurs destinataires peuvent le refuser comme expéditeur`,
            en: `${domain} has a null MX ("0 ."): it receives no mail, so replies and bounces are lost and receivers may refuse it as a sender`,
          }
        : {
            fr: `${domain} n’a aucun enregistrement MX\u00a0: les réponses et les retours ne peuvent pas être livrés, et bien des serveurs refusent les courriels d’un domaine qui ne peut en recevoir aucun`,
            en: `${domain} has no MX record: replies and bounces cannot be delivered, and many receivers refuse mail from a domain that cannot receive any`,
          },
      fix: {
        fr: `publiez à ${domain} un enregistrement MX qui désigne le serveur qui reçoit ses courriels, par exemple "${domain}. MX 10 mail.${domain}." (votre fournisseur de courriel vous donne l’hôte exact)`,
        en: `publish an MX record at ${domain} pointing to the server that receives its mail, e.g. "${domain}. MX 10 mail.${domain}." (your mail provider gives the exact host)`,
      },
      where: domain,
    };
  }
  const list = usable.map((r) => `${r.exchange} (${r.priority})`).join(', ');
  return ok('MX', { fr: `${domain}\u00a0: ${list}`, en: `${domain}: ${list}` }, domain);
}
