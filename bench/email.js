// E-mail rendering benchmark (bench/run.js --only email).
//
// In this process, from the compiled modules in dist/: generates N bilingual releases
// (bench/generate.js), loads each as `aimq release send` does (loadValid), times one
// MJML compile of the e-mail layout (what aimq does once, when it is built or for a project
// that overrides the templates) and loads the layout as aimq does (loadEmailLayout). Then,
// alternating, after 1 warm-up of each, R runs of:
//   - aimq: every edition of every release (fr, en, bilingual) rendered to HTML and plain
//     text: emailViews() (markdown body, text, parts) then layout.html() (one Liquid render);
//     then, timed apart and not compared, each view's contentHash (computed when read);
//   - the mjml API on the same editions' MJML documents (layout.mjml(), prepared before
//     timing), one by one: `await mjml(doc, { validationLevel: 'soft', fonts: {} })`.
// Reported per edition (per document): median and min–max over the runs, and their ratio
// (aim: aimq at least 10 times faster). Finally, the `mjml` command (node_modules/.bin/mjml)
// once per file on a sample of the documents: what a tool that shells out to it pays.

import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { generateProject } from './generate.js';
import { profileInProcess } from './profile.js';
import {
  NODE,
  REPO,
  fmtInt,
  fmtMs,
  importDist,
  log,
  makeTemp,
  msStats,
  range,
  removeTemp,
  repeat,
  round,
  stats,
  timed,
} from './lib.js';

const AIM = 10;
const MJML_OPTIONS = { validationLevel: 'soft', fonts: {} }; // fonts: {} as aimq: no Google Fonts link
const MJML_BIN = join(REPO, 'node_modules', '.bin', 'mjml');

/**
 * Runs the e-mail rendering benchmark. `o`: { releases, runs, quick, mjmlCli (files to
 * compile with the mjml command; 0: none) }. Returns the lines that describe it, its
 * table and its part of results.json.
 */
export async function emailBenchmark(o) {
  const RELEASES = o.releases;
  const RUNS = o.runs;
  const { loadConfig } = await importDist('config/load.js');
  const { loadValid } = await importDist('load/parsed.js');
  const { assembleLayout, loadEmailLayout } = await importDist('render-email/layout.js');
  const { emailEditions, emailViews } = await importDist('render-email/edition.js');
  const { createTemplateEngine } = await importDist('templating/engine.js');

  const tmp = makeTemp();
  const project = join(tmp, 'project');
  mkdirSync(project);
  log(`Generating ${RELEASES} bilingual releases in ${project}…`);
  const generated = generateProject(project, RELEASES, { configFile: join(REPO, 'aimq.config.yaml') });
  log(`  ${generated.folders.length} releases, about ${generated.wordsPerEdition} words per edition`);

  const config = loadConfig(project, project);
  log('Loading them for e-mail (loadValid: front matter, markdown, typography)…');
  let t = performance.now();
  const sources = generated.folders.map((folder) => loadValid(join(project, 'releases', folder), config));
  const loadMs = performance.now() - t;
  const work = sources.map((s) => ({ s, editions: emailEditions(s.release) }));
  const EDITIONS = work.reduce((n, w) => n + w.editions.length, 0);
  log(`  ${fmtMs(loadMs)}; ${EDITIONS} editions`);

  log(
    'Compiling the e-mail layout with MJML once (loading MJML, strict validation, one run), as aimq does when it is built…',
  );
  const engine = createTemplateEngine('email', project);
  t = performance.now();
  const mjml = createRequire(join(REPO, 'package.json'))('mjml');
  await mjml(assembleLayout(engine).source, {
    validationLevel: 'strict',
    keepComments: false,
    minify: false,
    fonts: {},
  });
  const compileMs = performance.now() - t;
  log(`  ${fmtMs(compileMs)}`);
  log('Loading the layout as aimq does (compiled when aimq was built)…');
  t = performance.now();
  const layout = await loadEmailLayout(engine, join(project, '.aimq'));
  const layoutLoadMs = performance.now() - t;
  log(`  ${fmtMs(layoutLoadMs)}`);

  log('Preparing the MJML document of every edition (layout.mjml)…');
  const docs = work.flatMap(({ s, editions }) =>
    [
      ...emailViews(s.release, s.trees, config, editions, { now: Date.now(), embedImages: false }).values(),
    ].map((view) => layout.mjml(view)),
  );

  /** aimq: every edition's HTML and text, as a send renders them. */
  const renderAimq = () => {
    let viewsMs = 0;
    let htmlMs = 0;
    let hashMs = 0;
    let htmlBytes = 0;
    let textBytes = 0;
    for (const { s, editions } of work) {
      const t0 = performance.now();
      const views = emailViews(s.release, s.trees, config, editions, { now: Date.now(), embedImages: false });
      const t1 = performance.now();
      for (const view of views.values()) {
        htmlBytes += layout.html(view).length;
        textBytes += view.text.length;
      }
      const t2 = performance.now();
      // Not part of the HTML and text compared with mjml, so timed apart: the digest a send
      // or an export reads once per edition (Message-IDs), computed on that first read.
      for (const view of views.values())
        if (view.contentHash.length !== 64) throw new Error('bad content hash');
      hashMs += performance.now() - t2;
      viewsMs += t1 - t0;
      htmlMs += t2 - t1;
    }
    return { ms: viewsMs + htmlMs, viewsMs, htmlMs, hashMs, htmlBytes, textBytes };
  };

  /** The mjml API on the same editions' documents, one by one. */
  const renderMjml = async () => {
    const t0 = performance.now();
    let htmlBytes = 0;
    let errors = 0;
    for (const doc of docs) {
      const r = await mjml(doc, MJML_OPTIONS);
      htmlBytes += r.html.length;
      errors += r.errors.length;
    }
    return { ms: performance.now() - t0, htmlBytes, errors };
  };

  log(
    `Rendering ${EDITIONS} editions: aimq and the mjml API alternating, the first of the two alternating too…`,
  );
  const runs = await repeat(
    'aimq / mjml API',
    RUNS,
    () => {},
    async (i) => {
      if (i % 2 === 0) {
        const mj = await renderMjml();
        return { aimq: renderAimq(), mjml: mj };
      }
      const aimq = renderAimq();
      return { aimq, mjml: await renderMjml() };
    },
    (r) => `${fmtMs(r.aimq.ms / EDITIONS)} / ${fmtMs(r.mjml.ms / EDITIONS)} per edition`,
  );
  const first = runs[0];
  if (first.mjml.errors)
    log(`  note: mjml reported ${first.mjml.errors} validation problem(s) (soft) on the documents`);

  log('Profiling two more aimq passes (the inspector, in this process)…');
  const profile = await profileInProcess(() => {
    renderAimq();
    renderAimq();
  });

  let cli;
  if (o.mjmlCli > 0) {
    const n = Math.min(o.mjmlCli, docs.length);
    const dir = join(tmp, 'mjml-cli');
    mkdirSync(dir);
    const files = Array.from({ length: n }, (_, k) => {
      const file = join(dir, `doc-${String(k).padStart(2, '0')}.mjml`);
      writeFileSync(file, docs[Math.floor((k * docs.length) / n)]);
      return file;
    });
    log(`The mjml command, once per file, on ${n} of the documents…`);
    const args = (file) => [
      MJML_BIN,
      file,
      '-o',
      file.replace(/\.mjml$/, '.html'),
      '--config.validationLevel',
      'soft',
      '--config.fonts',
      '{}',
    ];
    timed(NODE, args(files[0])); // warm-up: the file-system cache
    const perFile = files.map((file) => timed(NODE, args(file)).ms);
    cli = { files: n, ...stats(perFile) };
    log(`  ${fmtMs(cli.median)} per file (median)`);
  }
  removeTemp(tmp);

  // -----------------------------------------------------------------------------------
  // Results

  const per = (values) => stats(values.map((ms) => ms / EDITIONS));
  const aimq = per(runs.map((r) => r.aimq.ms));
  const views = per(runs.map((r) => r.aimq.viewsMs));
  const html = per(runs.map((r) => r.aimq.htmlMs));
  const hash = per(runs.map((r) => r.aimq.hashMs));
  const api = per(runs.map((r) => r.mjml.ms));
  const pairRatios = stats(runs.map((r) => r.mjml.ms / r.aimq.ms));
  const ratio = api.median / aimq.median;
  const met = ratio >= AIM;
  const breakEven = compileMs / Math.max(1e-9, api.median - aimq.median);
  const share = (key) =>
    `${((100 * runs.reduce((n, r) => n + r.aimq[key], 0)) / runs.reduce((n, r) => n + r.aimq.ms, 0)).toFixed(0)} % of aimq's time`;
  const kb = (bytes) => `${(bytes / EDITIONS / 1024).toFixed(1)} KB`;
  const fmtX = (x) => `${x.toFixed(1)}×`;

  const rows = [
    ['measurement', 'median', 'min – max', 'notes'],
    [
      `aimq: HTML + text, per edition`,
      fmtMs(aimq.median),
      range(aimq, fmtMs),
      `${EDITIONS} editions in ${fmtMs(aimq.median * EDITIONS)}; HTML ${kb(first.aimq.htmlBytes)}, text ${kb(first.aimq.textBytes)} per edition`,
    ],
    ['  emailViews (body, text, parts)', fmtMs(views.median), range(views, fmtMs), share('viewsMs')],
    [
      '  layout.html (one Liquid render)',
      fmtMs(html.median),
      range(html, fmtMs),
      `${share('htmlMs')}; alone, ${fmtX(api.median / html.median)} faster than the mjml API`,
    ],
    [
      'aimq: contentHash (not above)',
      fmtMs(hash.median),
      range(hash, fmtMs),
      'per edition, when read: SHA-256 of the view as JSON, for Message-IDs; not needed for the HTML and text',
    ],
    [
      'mjml API, per document',
      fmtMs(api.median),
      range(api, fmtMs),
      `${EDITIONS} documents in ${fmtMs(api.median * EDITIONS)}; HTML ${kb(first.mjml.htmlBytes)} per document`,
    ],
    ['mjml API ÷ aimq', fmtX(ratio), range(pairRatios, fmtX), `aim ≥ ${AIM}×: ${met ? 'met' : 'NOT met'}`],
    [
      'MJML compile of the layout, once (not above)',
      fmtMs(compileMs),
      '',
      `done when aimq is built (or once per set of template overrides, then cached in .aimq/); paid back after ${fmtInt(Math.ceil(breakEven))} editions`,
    ],
    [
      'aimq: layout loaded (not above)',
      fmtMs(layoutLoadMs),
      '',
      'once per process: the compiled layout read and turned into closures',
    ],
    [
      'aimq: loadValid (not above)',
      fmtMs(loadMs / RELEASES),
      '',
      `per release; ${fmtMs(loadMs)} for ${RELEASES}`,
    ],
    ...(cli
      ? [
          [
            `mjml command, per file (${cli.files} files)`,
            fmtMs(cli.median),
            range(cli, fmtMs),
            `${fmtX(cli.median / aimq.median)} aimq; one process per file`,
          ],
        ]
      : []),
  ];

  return {
    title: 'e-mail rendering',
    profile: { label: "aimq rendering every edition twice more, in the benchmark's process", ...profile },
    heading: [
      `${RELEASES} releases, ${EDITIONS} editions (fr, en, bilingual; about ${generated.wordsPerEdition} words per language); ${RUNS} run${RUNS === 1 ? '' : 's'} after 1 warm-up, aimq and the mjml API alternating in one process`,
    ],
    rows,
    results: {
      profile,
      options: {
        releases: RELEASES,
        editions: EDITIONS,
        runs: RUNS,
        warmUps: 1,
        quick: o.quick,
        mjmlOptions: MJML_OPTIONS,
        mjmlCliFiles: cli?.files ?? 0,
      },
      measurements: {
        aimqPerEdition: {
          ...msStats(aimq, 3),
          emailViews: msStats(views, 3),
          layoutHtml: msStats(html, 3),
          contentHashNotIncluded: msStats(hash, 3),
          htmlBytes: Math.round(first.aimq.htmlBytes / EDITIONS),
          textBytes: Math.round(first.aimq.textBytes / EDITIONS),
        },
        mjmlApiPerDocument: {
          ...msStats(api, 3),
          htmlBytes: Math.round(first.mjml.htmlBytes / EDITIONS),
          validationProblems: first.mjml.errors,
        },
        ratio: {
          median: round(ratio, 2),
          pairedRuns: pairRatios.runs.map((x) => round(x, 2)),
          aim: `≥ ${AIM}×`,
          met,
        },
        layoutCompileMs: round(compileMs),
        layoutLoadMs: round(layoutLoadMs),
        loadForEmailMs: round(loadMs),
        ...(cli ? { mjmlCliPerFile: msStats(cli) } : {}),
      },
    },
  };
}
