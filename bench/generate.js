// Deterministic generator of bilingual press releases for the build benchmark.
//
// generateProject(dir, count, { config }) writes aimq.config.yaml and
// releases/<yyyy-mm-dd>-<slug>/{fr,en}.md. Everything comes from a seeded PRNG and the
// paired French/English vocabulary below: the same count gives the same files, byte for
// byte, on every machine. Each fact (amount, percentage, number, date, address) is
// written in both languages' conventions so that `aimq release check` finds the two
// editions consistent.

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a tiny, fast, seeded PRNG returning floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------
// Formatting facts in each language

const FR_MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];
const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const group = (n, sep) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
const frInt = (n) => group(n, ' ');
const enInt = (n) => group(n, ',');
const frMoney = (n) => `${frInt(n)} $`;
const enMoney = (n) => `$${enInt(n)}`;
const frDate = (d) =>
  `${d.getUTCDate() === 1 ? '1er' : d.getUTCDate()} ${FR_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
const enDate = (d) => `${EN_MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
const iso = (d) => d.toISOString().slice(0, 10);
const addDays = (d, n) => new Date(d.getTime() + n * 86_400_000);

// ---------------------------------------------------------------------------------------
// Vocabulary: every entry is a French/English pair

const CITIES = [
  { fr: 'Montréal', en: 'Montreal' },
  { fr: 'Québec', en: 'Quebec City' },
  { fr: 'Sherbrooke', en: 'Sherbrooke' },
  { fr: 'Gatineau', en: 'Gatineau' },
  { fr: 'Trois-Rivières', en: 'Trois-Rivières' },
  { fr: 'Saguenay', en: 'Saguenay' },
  { fr: 'Lévis', en: 'Lévis' },
  { fr: 'Laval', en: 'Laval' },
  { fr: 'Longueuil', en: 'Longueuil' },
  { fr: 'Rimouski', en: 'Rimouski' },
  { fr: 'Drummondville', en: 'Drummondville' },
  { fr: 'Rouyn-Noranda', en: 'Rouyn-Noranda' },
];

const TOPICS = [
  {
    fr: 'la gestion des actifs municipaux',
    en: 'municipal asset management',
    slugFr: 'gestion-actifs',
    slugEn: 'asset-management',
  },
  {
    fr: "les infrastructures d'eau potable",
    en: 'drinking water infrastructure',
    slugFr: 'eau-potable',
    slugEn: 'drinking-water',
  },
  {
    fr: 'la gestion contractuelle',
    en: 'contract management',
    slugFr: 'gestion-contractuelle',
    slugEn: 'contract-management',
  },
  {
    fr: "l'adaptation aux changements climatiques",
    en: 'climate change adaptation',
    slugFr: 'adaptation-climat',
    slugEn: 'climate-adaptation',
  },
  {
    fr: 'la sécurité des chantiers routiers',
    en: 'road work site safety',
    slugFr: 'securite-chantiers',
    slugEn: 'work-site-safety',
  },
  {
    fr: 'la gestion des eaux pluviales',
    en: 'stormwater management',
    slugFr: 'eaux-pluviales',
    slugEn: 'stormwater',
  },
  {
    fr: 'la mobilité durable',
    en: 'sustainable mobility',
    slugFr: 'mobilite-durable',
    slugEn: 'sustainable-mobility',
  },
  {
    fr: 'la relève en génie municipal',
    en: 'the next generation of municipal engineers',
    slugFr: 'releve',
    slugEn: 'next-generation',
  },
  {
    fr: "l'intégrité dans les marchés publics",
    en: 'integrity in public procurement',
    slugFr: 'integrite',
    slugEn: 'integrity',
  },
  {
    fr: 'la réfection des chaussées',
    en: 'pavement rehabilitation',
    slugFr: 'chaussees',
    slugEn: 'pavement',
  },
  {
    fr: 'la gestion des matières résiduelles',
    en: 'waste management',
    slugFr: 'matieres-residuelles',
    slugEn: 'waste-management',
  },
  {
    fr: 'les ouvrages d’art municipaux',
    en: 'municipal bridges and structures',
    slugFr: 'ouvrages-art',
    slugEn: 'bridges-structures',
  },
];

const TITLES = [
  {
    fr: (t) => `L'AIMQ lance un programme de formation sur ${t.fr}`,
    en: (t) => `AIMQ launches a training program on ${t.en}`,
    slugFr: 'programme',
    slugEn: 'program',
  },
  {
    fr: (t) => `Un nouveau guide de bonnes pratiques sur ${t.fr}`,
    en: (t) => `A new good-practice guide on ${t.en}`,
    slugFr: 'guide',
    slugEn: 'guide',
  },
  {
    fr: (t) => `L'AIMQ publie une étude sur ${t.fr}`,
    en: (t) => `AIMQ publishes a study on ${t.en}`,
    slugFr: 'etude',
    slugEn: 'study',
  },
  {
    fr: (t) => `Colloque annuel : les ingénieurs municipaux se penchent sur ${t.fr}`,
    en: (t) => `Annual conference: municipal engineers take a close look at ${t.en}`,
    slugFr: 'colloque',
    slugEn: 'conference',
  },
  {
    fr: (t) => `L'AIMQ conclut un partenariat portant sur ${t.fr}`,
    en: (t) => `AIMQ enters into a partnership on ${t.en}`,
    slugFr: 'partenariat',
    slugEn: 'partnership',
  },
  {
    fr: (t) => `Prix d'excellence de l'AIMQ : un projet exemplaire sur ${t.fr}`,
    en: (t) => `AIMQ Excellence Award: an exemplary project on ${t.en}`,
    slugFr: 'prix',
    slugEn: 'award',
  },
];

const SUBTITLES = [
  {
    fr: 'Un engagement envers les membres et les municipalités',
    en: 'A commitment to members and municipalities',
  },
  { fr: 'Des outils concrets pour les équipes municipales', en: 'Practical tools for municipal teams' },
  {
    fr: 'Une démarche menée avec les partenaires du milieu',
    en: 'An initiative carried out with partners in the field',
  },
  { fr: 'Au service de la qualité des infrastructures', en: 'Serving the quality of infrastructure' },
];

const PEOPLE = [
  {
    name: 'Danielle Boucher',
    fr: 'conseillère en communication',
    en: 'communications adviser',
    email: 'communications@aimq.net',
    title: { fr: 'Mme', en: 'Ms.' },
  },
  {
    name: 'Jean Lanciault',
    fr: 'président',
    en: 'President',
    email: 'presidence@aimq.net',
    title: { fr: 'M.', en: 'Mr.' },
  },
  {
    name: 'Marie Tremblay',
    fr: 'directrice générale',
    en: 'Executive Director',
    email: 'direction@aimq.net',
    title: { fr: 'Mme', en: 'Ms.' },
  },
  {
    name: 'Louis Gagnon',
    fr: 'vice-président',
    en: 'Vice-President',
    email: 'vp@aimq.net',
    title: { fr: 'M.', en: 'Mr.' },
  },
  {
    name: 'Sophie Côté',
    fr: 'responsable de la formation',
    en: 'Training Manager',
    email: 'formation@aimq.net',
    title: { fr: 'Mme', en: 'Ms.' },
  },
  {
    name: 'Nathalie Bouchard',
    fr: 'ingénieure municipale',
    en: 'municipal engineer',
    email: 'n.bouchard@aimq.net',
    title: { fr: 'Mme', en: 'Ms.' },
  },
];

const HEADINGS = [
  { fr: 'Un contexte exigeant', en: 'A demanding context' },
  { fr: 'Les faits saillants', en: 'Highlights' },
  { fr: 'Un financement confirmé', en: 'Confirmed funding' },
  { fr: 'Les prochaines étapes', en: 'Next steps' },
  { fr: 'Des retombées pour les citoyens', en: 'Benefits for residents' },
  { fr: 'Une approche concertée', en: 'A concerted approach' },
];

const LIST_ITEMS = [
  {
    fr: "l'établissement d'un inventaire complet des ouvrages existants ;",
    en: 'drawing up a complete inventory of existing structures;',
  },
  {
    fr: 'la formation continue des équipes techniques et des gestionnaires ;',
    en: 'continuing education for technical teams and managers;',
  },
  {
    fr: 'le partage des données entre les municipalités participantes ;',
    en: 'sharing data among the participating municipalities;',
  },
  {
    fr: 'la mise à jour des devis types et des clauses contractuelles ;',
    en: 'updating standard specifications and contract clauses;',
  },
  {
    fr: "l'accompagnement des petites municipalités dans leurs demandes de subvention ;",
    en: 'supporting small municipalities in their grant applications;',
  },
  {
    fr: "la publication d'indicateurs de performance comparables ;",
    en: 'publishing comparable performance indicators;',
  },
  {
    fr: 'la consultation des citoyens en amont des grands projets ;',
    en: 'consulting residents ahead of major projects;',
  },
  {
    fr: "l'intégration de critères de développement durable dans les appels d'offres ;",
    en: 'including sustainable development criteria in calls for tenders;',
  },
];

/** Filler sentences; `c` is the release's context. None holds a figure, so any may be added or repeated. */
const FILLER = [
  {
    fr: (_c) =>
      `Les municipalités du Québec font face à des défis importants en matière d'entretien et de renouvellement de leurs infrastructures.`,
    en: (_c) =>
      `Quebec municipalities face significant challenges in maintaining and renewing their infrastructure.`,
  },
  {
    fr: (_c) =>
      `Dans ce contexte, l'AIMQ entend soutenir ses membres en leur offrant des outils adaptés à la réalité de chaque milieu.`,
    en: (_c) =>
      `In this context, AIMQ intends to support its members by offering them tools suited to the reality of each community.`,
  },
  {
    fr: (c) =>
      `Les travaux ont été menés par un comité formé d'ingénieurs provenant de villes de toutes les tailles, dont ${c.city.fr}.`,
    en: (c) =>
      `The work was carried out by a committee of engineers from cities of every size, including ${c.city.en}.`,
  },
  {
    fr: (_c) =>
      `Cette initiative s'inscrit dans la continuité des orientations stratégiques adoptées par le conseil d'administration.`,
    en: (_c) => `This initiative builds on the strategic directions adopted by the board of directors.`,
  },
  {
    fr: (_c) =>
      `Les participants ont souligné l'importance de mieux documenter l'état des réseaux afin de planifier les investissements à long terme.`,
    en: (_c) =>
      `Participants stressed the importance of better documenting the condition of networks in order to plan long-term investments.`,
  },
  {
    fr: (c) =>
      `Les recommandations portent notamment sur ${c.topic.fr} et sur la coordination entre les services municipaux.`,
    en: (c) =>
      `The recommendations address, among other things, ${c.topic.en} and coordination between municipal departments.`,
  },
  {
    fr: (_c) =>
      `L'association rappelle que la qualité des infrastructures a des effets directs sur la santé, la sécurité et la qualité de vie des citoyens.`,
    en: (_c) =>
      `The association points out that the quality of infrastructure has a direct effect on residents' health, safety and quality of life.`,
  },
  {
    fr: (_c) =>
      `Les ministères concernés ainsi que plusieurs organismes partenaires ont été consultés tout au long de la démarche.`,
    en: (_c) =>
      `The government departments concerned and several partner organizations were consulted throughout the process.`,
  },
  {
    fr: (_c) => `Un rapport détaillé sera transmis aux membres et rendu public dans les prochaines semaines.`,
    en: (_c) => `A detailed report will be sent to members and made public in the coming weeks.`,
  },
  {
    fr: (_c) =>
      `Les ingénieurs municipaux jouent un rôle essentiel dans la conception, la réalisation et l'entretien des ouvrages qui desservent la population.`,
    en: (_c) =>
      `Municipal engineers play an essential role in designing, building and maintaining the works that serve the public.`,
  },
  {
    fr: (_c) =>
      `La démarche favorise aussi le transfert de connaissances entre les ingénieurs d'expérience et ceux qui entament leur carrière.`,
    en: (_c) =>
      `The initiative also encourages knowledge transfer between experienced engineers and those beginning their careers.`,
  },
  {
    fr: (_c) =>
      `Plusieurs municipalités ont déjà manifesté leur intérêt pour participer à la prochaine phase du projet.`,
    en: (_c) =>
      `Several municipalities have already expressed interest in taking part in the next phase of the project.`,
  },
  {
    fr: (c) =>
      `Les résultats seront présentés lors des activités régionales de l'association, notamment à ${c.city.fr}.`,
    en: (c) => `The results will be presented at the association's regional events, notably in ${c.city.en}.`,
  },
  {
    fr: (_c) =>
      `L'AIMQ invite les élus et les gestionnaires municipaux à prendre connaissance de ces travaux et à en discuter avec leurs équipes.`,
    en: (_c) =>
      `AIMQ invites elected officials and municipal managers to review this work and discuss it with their teams.`,
  },
  {
    fr: (_c) =>
      `Cette approche permettra de mieux prioriser les interventions et d'optimiser l'utilisation des fonds publics.`,
    en: (_c) =>
      `This approach will make it possible to better prioritize interventions and make the best use of public funds.`,
  },
  {
    fr: (_c) =>
      `Les membres pourront également compter sur un réseau d'entraide pour échanger sur leurs expériences et leurs solutions.`,
    en: (_c) =>
      `Members will also be able to count on a mutual-aid network to share their experiences and solutions.`,
  },
];

/** Sentences appended to one fr.md by the one-edit rebuild benchmark: no figures, so no new warnings. */
export const EDIT_SENTENCES = [
  "L'association remercie chaleureusement les bénévoles qui ont contribué à ces travaux.",
  'Les membres sont invités à transmettre leurs commentaires au secrétariat.',
  'Une séance d’information sera offerte aux municipalités intéressées.',
  'Les partenaires du projet seront annoncés prochainement.',
  'Le comité poursuivra ses travaux au cours des prochains mois.',
  'Les documents de référence seront mis à jour en conséquence.',
  'Cette annonce a été saluée par plusieurs organismes du milieu municipal.',
  "L'AIMQ fera le point sur l'avancement du projet lors de sa prochaine assemblée.",
];

// ---------------------------------------------------------------------------------------
// One release

const pick = (rand, list) => list[Math.floor(rand() * list.length)];
const words = (text) => text.split(/\s+/).filter(Boolean).length;
const yaml = (s) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

/** The French and English markdown of release number `index`, dated `date` (a UTC midnight Date). */
export function generateRelease(index, date, rand) {
  const c = {
    city: pick(rand, CITIES),
    topic: pick(rand, TOPICS),
    title: pick(rand, TITLES),
    subtitle: pick(rand, SUBTITLES),
    speaker: pick(rand, PEOPLE.slice(1)),
    members: 200 + Math.floor(rand() * 1800), // 200 to 1 999 members: `1 250` / `1,250`
    municipalities: 12 + Math.floor(rand() * 300),
    amount: (1 + Math.floor(rand() * 60)) * 50_000, // 50 000 $ to 3 000 000 $
    millions: (Math.floor(rand() * 38) + 4) / 2, // 2 to 20.5 million
    percent: 5 + Math.floor(rand() * 60),
    since: 1990 + Math.floor(rand() * 25),
    eventDate: addDays(date, 14 + Math.floor(rand() * 90)),
  };
  const { city, topic, speaker } = c;
  // Filler sentences are drawn without repetition (the list is long enough for one release).
  const shuffled = FILLER.map((f) => [rand(), f])
    .sort((a, b) => a[0] - b[0])
    .map(([, f]) => f);
  let next = 0;
  const sentence = () => shuffled[next++ % shuffled.length];
  const millionsFr = String(c.millions).replace('.', ',');
  const fr = [];
  const en = [];
  const both = (f, e) => {
    fr.push(f);
    en.push(e);
  };

  both(
    `L'Association des ingénieurs municipaux du Québec (AIMQ) annonce aujourd'hui une nouvelle initiative consacrée à ${topic.fr}. Cette annonce concerne les ${frInt(c.members)} membres de l'association, qui travaillent dans ${c.municipalities} municipalités réparties sur l'ensemble du territoire québécois. ${shuffled[0].fr(c)}`,
    `The Association des ingénieurs municipaux du Québec (AIMQ) today announced a new initiative devoted to ${topic.en}. The announcement concerns the association's ${enInt(c.members)} members, who work in ${c.municipalities} municipalities across Quebec. ${shuffled[0].en(c)}`,
  );
  next = 1;
  const filler = () => {
    const [a, b, d] = [sentence(), sentence(), sentence()];
    both(`${a.fr(c)} ${b.fr(c)} ${d.fr(c)}`, `${a.en(c)} ${b.en(c)} ${d.en(c)}`);
  };
  filler();

  const [h1, h2, h3] = [0, 1, 2].map((i) => HEADINGS[(index + i * 2) % HEADINGS.length]);
  both(`## ${h1.fr}`, `## ${h1.en}`);
  both(
    `Le projet bénéficie d'une enveloppe de ${frMoney(c.amount)}, à laquelle s'ajoute une contribution gouvernementale de ${millionsFr} millions de dollars répartie sur trois ans. Selon les données recueillies par l'association, ${c.percent} % des municipalités jugent ce soutien prioritaire. L'AIMQ s'intéresse à ces questions depuis ${c.since}.`,
    `The project has a budget of ${enMoney(c.amount)}, plus a government contribution of $${c.millions} million spread over three years. According to data gathered by the association, ${c.percent}% of municipalities consider this support a priority. AIMQ has been working on these issues since ${c.since}.`,
  );
  const start = Math.floor(rand() * LIST_ITEMS.length);
  const items = [0, 1, 2, 3].map((i) => LIST_ITEMS[(start + i * 3) % LIST_ITEMS.length]);
  both('Le plan d’action comprend quatre volets :', 'The action plan has four components:');
  both(
    items.map((it, i) => `- ${i === items.length - 1 ? it.fr.replace(/ ;$/, '.') : it.fr}`).join('\n'),
    items.map((it, i) => `- ${i === items.length - 1 ? it.en.replace(/;$/, '.') : it.en}`).join('\n'),
  );

  both(`## ${h2.fr}`, `## ${h2.en}`);
  both(
    `« Ce projet répond à un besoin exprimé depuis longtemps par nos membres. Il leur donnera les moyens d'agir concrètement sur ${topic.fr}, au bénéfice de l'ensemble des citoyens », souligne ${speaker.title.fr} ${speaker.name}, ${speaker.fr} de l'AIMQ.`,
    `"This project responds to a need our members have long expressed. It will give them the means to take concrete action on ${topic.en}, for the benefit of all residents," said ${speaker.name}, ${speaker.en} of AIMQ.`,
  );
  both(
    `> Les infrastructures municipales sont le socle de la vie collective : il faut les connaître, les entretenir et les renouveler avec rigueur.`,
    `> Municipal infrastructure is the foundation of community life: we must know it, maintain it and renew it rigorously.`,
  );
  filler();

  both(`## ${h3.fr}`, `## ${h3.en}`);
  both(
    `Une première rencontre d'information aura lieu le ${frDate(c.eventDate)} à ${city.fr}. Les membres peuvent s'inscrire dès maintenant en écrivant à formation@aimq.net ou en consultant le [site de l'association](https://www.aimq.net/fr/activites).`,
    `A first information session will take place on ${enDate(c.eventDate)} in ${city.en}. Members can register now by writing to formation@aimq.net or by visiting the [association's website](https://www.aimq.net/en/activites).`,
  );
  // Top up to about 500 words per edition with filler paragraphs.
  while (words(fr.join('\n')) < 480) filler();

  const contacts = [PEOPLE[0], ...(rand() < 0.5 ? [speaker] : [])];
  const slugFr = `${iso(date)}-${c.title.slugFr}-${topic.slugFr}`;
  const slugEn = `${iso(date)}-${c.title.slugEn}-${topic.slugEn}`;
  const frMd = [
    '---',
    `title: ${yaml(c.title.fr(topic))}`,
    `subtitle: ${yaml(c.subtitle.fr)}`,
    `date: ${iso(date)}`,
    `place: ${yaml(city.fr)}`,
    'contacts:',
    ...contacts.flatMap((p, i) => [
      `  - name: ${p.name}`,
      `    role: ${yaml(p.fr)}`,
      `    email: ${p.email}`,
      ...(i === 0 ? ['    phone: "+1 514 555-0100"', '    kind: source'] : ['    kind: information']),
    ]),
    `summary: ${yaml(`L'AIMQ annonce une nouvelle initiative consacrée à ${topic.fr}, à l'intention de ses membres et des municipalités du Québec.`)}`,
    `tags: [${topic.slugFr}]`,
    '---',
    fr.join('\n\n'),
    '',
  ].join('\n');
  const enMd = [
    '---',
    `title: ${yaml(c.title.en(topic))}`,
    `subtitle: ${yaml(c.subtitle.en)}`,
    `summary: ${yaml(`AIMQ announces a new initiative devoted to ${topic.en}, for its members and Quebec municipalities.`)}`,
    `place: ${yaml(city.en)}`,
    `slug: ${slugEn}`,
    'contacts:',
    ...contacts.map((p) => `  - role: ${yaml(p.en)}`),
    '---',
    en.join('\n\n'),
    '',
  ].join('\n');
  return { folder: slugFr, fr: frMd, en: enMd };
}

// ---------------------------------------------------------------------------------------
// A project

/** About seven years of releases, whatever their number: 2018-01-08 to early 2025. */
const SPAN_DAYS = 7 * 365;

/**
 * Writes a project of `count` releases into `dir` (which must exist): a copy of
 * `configFile` and one folder per release, dated from 2018-01-08 on and spread over about
 * seven years (1,000 releases: one to four days apart). Returns what it wrote.
 */
export function generateProject(dir, count, { configFile, seed = 20261128 }) {
  copyFileSync(configFile, join(dir, 'aimq.config.yaml'));
  const rand = prng(seed);
  const meanStep = SPAN_DAYS / count;
  let date = new Date(Date.UTC(2018, 0, 8));
  const folders = [];
  const taken = new Set();
  let totalWords = 0;
  for (let i = 0; i < count; i++) {
    const release = generateRelease(i, date, rand);
    let name = release.folder;
    for (let n = 2; taken.has(name); n++) name = `${release.folder}-${n}`; // same day, same title: rare
    taken.add(name);
    const folder = join(dir, 'releases', name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'fr.md'), release.fr);
    writeFileSync(join(folder, 'en.md'), release.en);
    totalWords += words(release.fr) + words(release.en);
    folders.push(name);
    date = addDays(date, Math.max(meanStep < 1 ? 0 : 1, Math.round(rand() * 2 * meanStep)));
  }
  return {
    folders,
    firstDate: folders[0]?.slice(0, 10),
    lastDate: folders.at(-1)?.slice(0, 10),
    wordsPerEdition: Math.round(totalWords / (2 * count)),
  };
}
