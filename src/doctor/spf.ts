import type { DoctorDns } from './dns.js';
import { counted, type Text } from '../i18n/text.js';
import { type Finding, ok } from './finding.js';

/** RFC 7208 §4.6.4: more DNS lookups than this while evaluating a record is a permanent error. */
export const SPF_LOOKUP_LIMIT = 10;

const isSpf = (txt: string) => /^v=spf1(\s|$)/i.test(txt.trim());

/** The SPF records among TXT records. */
export function spfRecords(txts: readonly string[]): string[] {
  return txts.filter(isSpf).map((t) => t.trim());
}

/**
 * DNS lookups an SPF record costs a receiver: one per `include`, `a`, `mx`, `ptr`, `exists`
 * and `redirect`, counted through the records `include` and `redirect` name (each looked up
 * once: a loop counts as over the limit).
 */
export async function countSpfLookups(
  dns: DoctorDns,
  record: string,
  seen = new Set<string>(),
): Promise<number> {
  let count = 0;
  for (const term of record.split(/\s+/).slice(1)) {
    const t = term.replace(/^[+?~-]/, '').toLowerCase();
    const target = /^include:(.+)$/.exec(t)?.[1] ?? /^redirect=(.+)$/.exec(t)?.[1];
    if (target !== undefined) {
      count++;
      if (seen.has(target)) return SPF_LOOKUP_LIMIT + 1;
      seen.add(target);
      const [next] = spfRecords(await dns.txt(target));
      if (next) count += await countSpfLookups(dns, next, seen);
    } else if (/^(a|mx|ptr)([:/]|$)/.test(t) || t.startsWith('exists:')) count++;
    if (count > SPF_LOOKUP_LIMIT) return count;
  }
  return count;
}

/** The SPF record of the envelope (and From) domain: exactly one, ending in -all or ~all, within the lookup limit. */
export async function checkSpf(dns: DoctorDns, domain: string): Promise<Finding[]> {
  const records = spfRecords(await dns.txt(domain));
  const fail = (message: Text, fix: Text): Finding[] => [
    { check: 'SPF', severity: 'error', message, fix, where: domain },
  ];
  if (!records.length)
    return fail(
      {
        fr: `${domain} n’a aucun enregistrement SPF\u00a0: les serveurs destinataires ne peuvent pas savoir quels serveurs peuvent envoyer en son nom, et Gmail et Yahoo refusent les envois de masse sans SPF ni DKIM valide`,
        en: `${domain} has no SPF record: receivers cannot tell which servers may send for it, and Gmail and Yahoo reject bulk mail without SPF or DKIM passing`,
      },
      {
        fr: `publiez un enregistrement TXT à ${domain}\u00a0: "v=spf1 include:<domaine SPF de votre fournisseur SMTP> -all" (ou "v=spf1 ip4:<adresse de votre serveur> -all")`,
        en: `publish one TXT record at ${domain}: "v=spf1 include:<your SMTP provider’s SPF domain> -all" (or "v=spf1 ip4:<your server’s address> -all")`,
      },
    );
  if (records.length > 1)
    return fail(
      {
        fr: `${domain} a ${records.length} enregistrements SPF (${records.map((r) => `"${r}"`).join(', ')})\u00a0: les serveurs destinataires y voient une erreur permanente (RFC 7208, § 4.5), comme s’il n’y en avait aucun`,
        en: `${domain} has ${records.length} SPF records (${records.map((r) => `"${r}"`).join(', ')}): receivers treat that as a permanent error (RFC 7208 §4.5), as if there were none`,
      },
      {
        fr: `fusionnez-les en un seul enregistrement TXT à ${domain} qui commence par "v=spf1", et supprimez les autres`,
        en: `merge them into one TXT record at ${domain} starting with "v=spf1" and delete the others`,
      },
    );
  const record = records[0]!;
  const terms = record
    .split(/\s+/)
    .slice(1)
    .map((t) => t.toLowerCase());
  const all = terms.find((t) => /^[+?~-]?all$/.test(t));
  const strict = record.replace(/(^|\s)[+?]?all(\s|$)/i, '$1-all$2').trim();
  if (all === 'all' || all === '+all' || all === '?all')
    return fail(
      {
        fr: `l’enregistrement SPF de ${domain} finit par "${all}"\u00a0: ${all === '?all' ? 'il ne dit rien d’aucun serveur et ne protège donc rien' : 'il laisse n’importe quel serveur au monde envoyer au nom de ce domaine'}`,
        en: `the SPF record of ${domain} ends in "${all}": ${all === '?all' ? 'it says nothing about any server, so it protects nothing' : 'it lets any server in the world send as this domain'}`,
      },
      {
        fr: `publiez "${strict}" à ${domain} (finissez par -all, ou ~all pendant les essais)`,
        en: `publish "${strict}" at ${domain} (end in -all, or ~all while testing)`,
      },
    );
  const lookups = await countSpfLookups(dns, record);
  if (lookups > SPF_LOOKUP_LIMIT)
    return fail(
      {
        fr: `l’enregistrement SPF de ${domain} demande ${lookups} requêtes DNS (include, a, mx, ptr, exists, redirect, comptées à travers les include)\u00a0; au-delà de ${SPF_LOOKUP_LIMIT}, les serveurs destinataires abandonnent avec une erreur permanente`,
        en: `the SPF record of ${domain} needs ${lookups} DNS lookups (include, a, mx, ptr, exists, redirect, counted through the includes); over ${SPF_LOOKUP_LIMIT}, receivers give up with a permanent error`,
      },
      {
        fr: `à ${domain}, remplacez les include par les plages ip4:/ip6: qu’ils représentent, ou retirez ceux des services qui n’envoient plus pour le domaine`,
        en: `at ${domain}, replace includes by the ip4:/ip6: ranges they stand for, or remove the ones for services that no longer send for the domain`,
      },
    );
  if (!all && !terms.some((t) => t.startsWith('redirect=')))
    return [
      {
        check: 'SPF',
        severity: 'warning',
        message: {
          fr: `l’enregistrement SPF de ${domain} ne finit pas par "all"\u00a0: les serveurs qu’il ne nomme pas ne sont ni refusés ni signalés`,
          en: `the SPF record of ${domain} has no "all" at the end: servers it does not list are neither refused nor flagged`,
        },
        fix: {
          fr: `publiez "${record} -all" à ${domain} (ou ~all pendant les essais)\u00a0; vérifiez que le serveur SMTP d’aimq est couvert par l’un de ses termes`,
          en: `publish "${record} -all" at ${domain} (or ~all while testing); make sure the SMTP server aimq uses is covered by one of its terms`,
        },
        where: domain,
      },
    ];
  const cost = counted(lookups, { fr: ['requête', 'requêtes'], en: ['lookup', 'lookups'] });
  return [
    ok(
      'SPF',
      { fr: `${domain}\u00a0: "${record}" (${cost.fr})`, en: `${domain}: "${record}" (${cost.en})` },
      domain,
    ),
  ];
}
