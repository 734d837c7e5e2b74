/**
 * French names an adviser writes for the keys and values of the release format and the
 * config, which are English: `sous-titre` is `subtitle`. Keys are compared without accents,
 * case, spaces, hyphens or underscores. A name may stand for several keys (`titre` is a
 * release's `title` and a contact's `role`): the one among the candidates wins.
 */
const FRENCH: Record<string, readonly string[]> = {
  titre: ['title', 'role'],
  soustitre: ['subtitle'],
  surtitre: ['subtitle'],
  chapeau: ['summary'],
  resume: ['summary'],
  sommaire: ['summary'],
  lieu: ['place'],
  ville: ['place'],
  endroit: ['place'],
  date: ['date'],
  datedediffusion: ['date'],
  sousembargo: ['embargo'],
  embargojusqua: ['embargo'],
  contact: ['contacts'],
  personnesressources: ['contacts'],
  nom: ['name'],
  prenomnom: ['name'],
  role: ['role'],
  fonction: ['role'],
  poste: ['role'],
  courriel: ['email'],
  adressecourriel: ['email'],
  mel: ['email'],
  telephone: ['phone'],
  tel: ['phone'],
  genre: ['kind'],
  type: ['kind'],
  sorte: ['kind'],
  renseignements: ['information'],
  renseignement: ['information'],
  informations: ['information'],
  info: ['information'],
  emetteur: ['source'],
  photo: ['image'],
  fichier: ['src'],
  textealternatif: ['alt'],
  textalt: ['alt'],
  description: ['alt'],
  etiquettes: ['tags'],
  motscles: ['tags'],
  categories: ['tags'],
  envoi: ['dispatch'],
  envois: ['dispatch'],
  diffusion: ['dispatch'],
  a: ['to'],
  destinataires: ['to'],
  quand: ['at'],
  heure: ['at'],
  edition: ['edition'],
  auto: ['auto'],
  francais: ['fr'],
  anglais: ['en'],
  bilingue: ['bilingual'],
  identifiant: ['slug'],
  adresseweb: ['slug'],
  acquitter: ['acknowledge'],
  ignorer: ['acknowledge'],
  organisme: ['organization'],
  organisation: ['organization'],
  nomcourt: ['shortName'],
  sigle: ['shortName'],
  acronyme: ['shortName'],
  siteweb: ['website'],
  site: ['website'],
  adresse: ['postalAddress'],
  adressepostale: ['postalAddress'],
  apropos: ['boilerplate'],
  presentation: ['boilerplate'],
  langues: ['languages'],
  fuseauhoraire: ['timeZone'],
  fuseau: ['timeZone'],
  adressedusite: ['baseUrl'],
  typographie: ['typography'],
  expediteur: ['from'],
  de: ['from'],
  repondrea: ['replyTo'],
  prefixe: ['subjectPrefix'],
  prefixedusujet: ['subjectPrefix'],
  desabonnement: ['unsubscribe'],
  desinscription: ['unsubscribe'],
  raison: ['reason'],
  couleur: ['accentColor'],
  serveur: ['host'],
  hote: ['host'],
  utilisateur: ['user'],
  motdepasse: ['password'],
};

function fold(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_'’-]+/g, '');
}

/**
 * The candidate a mistyped or French word stands for: a French name of one of the
 * candidates, or the closest candidate when it is close enough to be a plausible typo.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const french = FRENCH[fold(word)]?.find((c) => candidates.includes(c) && c !== word);
  if (french) return french;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** Damerau–Levenshtein (optimal string alignment): a swap of two letters counts as one. */
function distance(a: string, b: string): number {
  // Long inputs cost rows × columns; nothing that long is a typo of a key.
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
