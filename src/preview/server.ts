import { readFileSync } from 'node:fs';
import { counted, inLang, type Lang, type Message, type Text, textOf } from '../i18n/text.js';
import { LABELS } from '../cli/report.js';
import { listenOn } from '../cli/listen.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, relative } from 'node:path';
import { type BuildResult, type BuildSession, buildSite } from '../build/build.js';
import { findReleaseDirs } from '../load/discover.js';
import { CONFIG_FILE, loadConfig } from '../config/load.js';
import { AimqError, AimqProblems, type Diagnostic } from '../errors/index.js';
import { exportEdition } from '../export/export.js';
import { loadValid } from '../load/parsed.js';
import { loadRelease } from '../load/release.js';
import type { Config } from '../model/config.js';
import { loadEmailLayout } from '../render-email/layout.js';
import { createTemplateEngine } from '../templating/engine.js';
import { forceSchemeCss, forceSchemeHtml, parseScheme } from './color-scheme.js';
import { EVENTS_PATH, injectBeforeBodyEnd, reloadScript, ReloadHub } from './live-reload.js';
import { contentTypeOf, looksLikePage, pathOf, resolveInside } from './static-files.js';
import {
  diagnosticEntry,
  parseToolbarState,
  renderErrorPage,
  renderIndexPage,
  renderNotFoundPage,
  renderToolbarPage,
  type ProblemEntry,
  type ReleaseViews,
} from './toolbar.js';
import { watchProject, type ProjectWatcher } from './watch.js';

export interface PreviewServerOptions {
  config: Config;
  /** Where the command runs (release dirs are relative to it). */
  cwd: string;
  /** Release folders named on the command line; empty = all. */
  releases: string[];
  /** 0 = any free port. */
  port: number;
  /** Default 127.0.0.1 (loopback); the CLI warns for others. */
  host: string;
  /** The language of the preview's own pages (default English); the log gives both. */
  lang?: Lang;
  /** What the server tells its user: builds, problems, its address. */
  log: (line: Message) => void;
}

export interface PreviewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Quiet time after the last change to the sources before a rebuild: long enough to take an
 * editor's save (a temporary file, a rename) as one change, short beside the rebuild.
 */
const DEBOUNCE_MS = 20;
/** Build errors are answered with this status, on every HTML request, until the files are fixed. */
const ERROR_STATUS = 500;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The outcome of the last build: the site it wrote, or the problems that stopped it. */
type BuildState = { ok: true; result: BuildResult } | { ok: false; problems: ProblemEntry[]; key: string };

/**
 * `aimq release preview`: builds the site (embargoed releases included and marked) into
 * `<root>/.aimq/preview/` and serves it, with a toolbar page per release, rebuilding on
 * every change to the sources and telling open pages to reload.
 *
 * Resolves once the first build is done and the server listens, even when that build
 * failed: the pages then show the problems until the files are fixed.
 */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const { cwd, releases, log } = options;
  const lang = options.lang ?? 'en';
  let config = options.config;
  const root = config.root;
  const out = join(root, '.aimq', 'preview');
  const shownOut = relative(cwd, out) || '.';
  // A release folder named on the command line that does not exist is a usage error, now.
  findReleaseDirs(root, cwd, releases);

  const hub = new ReloadHub();
  /** The site's version: bumped by every rebuild that changed what the pages show. */
  let version = 1;
  let state: BuildState | undefined;
  let building: Promise<void> | undefined;
  let again: string[] | undefined;
  let lastWarnings = '';
  let views: { version: number; releases: ReleaseViews[] } | undefined;
  // The build's cache and parsed templates, kept in memory from one rebuild to the next, and
  // every path changed since the last build that succeeded (a failed one recorded nothing).
  const session: BuildSession = {};
  const sinceLastGoodBuild = new Set<string>();

  const rebuild = async (changed: readonly string[]): Promise<void> => {
    const started = performance.now();
    const shownChanged = changed.slice(0, 3).join(', ');
    const others =
      changed.length > 3
        ? counted(changed.length - 3, { fr: ['autre', 'autres'], en: ['more', 'more'] })
        : undefined;
    const why: Message = changed.length
      ? {
          fr: ` après une modification de ${shownChanged}${others ? ` et ${others.fr}` : ''}`,
          en: ` after a change to ${shownChanged}${others ? ` and ${others.en}` : ''}`,
        }
      : '';
    const before = state;
    try {
      if (changed.some((p) => p === CONFIG_FILE || p === '.') || (before && !before.ok))
        config = loadConfig(root, cwd);
      for (const p of changed) sinceLastGoodBuild.add(p);
      const result = await buildSite(config, {
        out,
        shownOut,
        now: Date.now(),
        includeEmbargoed: true,
        releases,
        cwd,
        session,
        ...(before ? { changed: [...sinceLastGoodBuild] } : {}),
      });
      sinceLastGoodBuild.clear();
      const ms = Math.round(performance.now() - started);
      state = { ok: true, result };
      const n = {
        written: counted(result.written.length, {
          fr: ['fichier écrit', 'fichiers écrits'],
          en: ['file written', 'files written'],
        }),
        unchanged: counted(result.unchanged, {
          fr: ['inchangé', 'inchangés'],
          en: ['unchanged', 'unchanged'],
        }),
        removed: counted(result.removed.length, {
          fr: ['supprimé', 'supprimés'],
          en: ['removed', 'removed'],
        }),
        releases: counted(new Set(result.pages.map((p) => p.release)).size, {
          fr: ['communiqué', 'communiqués'],
          en: ['release', 'releases'],
        }),
      };
      const removed = result.removed.length ? textOf((l) => `, ${n.removed[l]}`) : '';
      log(
        textOf((l) =>
          l === 'fr'
            ? `${before ? 'Reconstruction' : 'Construction'} de ${shownOut}/${inLang(why, 'fr')} en ${ms}\u00a0ms\u00a0: ${n.written.fr}, ${n.unchanged.fr}${inLang(removed, l)}\u00a0; ${n.releases.fr}.`
            : `${before ? 'Rebuilt' : 'Built'} ${shownOut}/${inLang(why, 'en')} in ${ms} ms: ${n.written.en}, ${n.unchanged.en}${inLang(removed, l)}; ${n.releases.en}.`,
        ),
      );
      const warnings = formatProblems(result.warnings.map((d) => diagnosticEntry(d)));
      if (warnings.en !== lastWarnings && warnings.en) log(warnings);
      lastWarnings = warnings.en;
      if (!before?.ok || result.written.length || result.removed.length) bump();
    } catch (err) {
      const problems = problemsOf(err);
      const shown = formatProblems(problems);
      const key = shown.en;
      state = { ok: false, problems, key };
      const ms = Math.round(performance.now() - started);
      log({
        fr: `La construction a échoué${inLang(why, 'fr')} en ${ms}\u00a0ms\u00a0; l’aperçu montre les problèmes jusqu’à ce qu’ils soient corrigés\u00a0:\n${shown.fr}`,
        en: `Build failed${inLang(why, 'en')} in ${ms} ms; the preview shows the problems until they are fixed:\n${shown.en}`,
      });
      if (!(err instanceof AimqError)) log((err as Error)?.stack ?? String(err));
      if (!before || before.ok || before.key !== key) bump();
    }
  };

  const bump = () => {
    version++;
    views = undefined;
    hub.reload(version);
  };

  /** Runs one rebuild at a time; changes that arrive during a build are built right after it. */
  const schedule = (changed: string[]) => {
    if (building) {
      again = [...(again ?? []), ...changed];
      return;
    }
    building = rebuild(changed).finally(() => {
      building = undefined;
      const next = again;
      again = undefined;
      if (next && !closed) schedule(next);
    });
  };

  /** What the last good build produced, per release; whether each is under embargo is read from its front matter. */
  const releaseViews = (): ReleaseViews[] => {
    if (views?.version === version) return views.releases;
    const result = state?.ok ? state.result : undefined;
    if (!result) return [];
    const ids = [
      ...new Set([...result.pages.map((p) => p.release), ...result.emails.map((e) => e.release)]),
    ].sort();
    const dirs = new Map(safeReleaseDirs().map((d) => [basename(d), d]));
    const now = Date.now();
    const list = ids.map((id) => {
      const dir = dirs.get(id);
      let embargoed = false;
      if (dir) {
        try {
          const epoch = loadRelease(dir, config).release?.embargo?.epoch;
          embargoed = epoch !== undefined && epoch > now;
        } catch {
          // The toolbar only marks it; the page itself says it.
        }
      }
      return {
        id,
        pages: result.pages.filter((p) => p.release === id).map((p) => ({ lang: p.lang, path: p.path })),
        emails: result.emails
          .filter((e) => e.release === id)
          .map((e) => ({ edition: e.edition, path: e.path })),
        embargoed,
        warnings: result.warnings.filter((w) => w.file.split(/[\\/]/).includes(id)),
      };
    });
    views = { version, releases: list };
    return list;
  };

  const safeReleaseDirs = (): string[] => {
    try {
      return findReleaseDirs(root, cwd, releases);
    } catch {
      return [];
    }
  };

  /** An edition's MJML source, rendered now from the release folder as `release export --format mjml` does. */
  const mjmlSource = async (id: string, edition: string): Promise<string> => {
    const dir = safeReleaseDirs().find((d) => basename(d) === id);
    if (!dir)
      throw new AimqError(
        'AIMQ-RELEASE-NOT-FOUND',
        { fr: `dossier de communiqué introuvable\u00a0: ${id}`, en: `release folder not found: ${id}` },
        {
          hint: {
            fr: 'il a été supprimé ou renommé\u00a0; rechargez l’aperçu',
            en: 'it was removed or renamed; reload the preview',
          },
        },
      );
    const source = loadValid(dir, config);
    const layout = await loadEmailLayout(createTemplateEngine('email', root), join(root, '.aimq'));
    const data = await exportEdition(source, config, layout, {
      format: 'mjml',
      edition,
      embedImages: false,
      now: new Date(),
    });
    return data.toString('utf8');
  };

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    type: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ) => {
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': String(data.length),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : data);
  };
  /** A short plain-text answer, in the user's language. */
  const sendText = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    text: Text,
    headers: Record<string, string> = {},
  ) => send(req, res, status, 'text/plain; charset=utf-8', `${inLang(text, lang)}\n`, headers);
  const sendHtml = (req: IncomingMessage, res: ServerResponse, status: number, html: string) =>
    send(req, res, status, 'text/html; charset=utf-8', html);
  const redirect = (req: IncomingMessage, res: ServerResponse, location: string) =>
    send(req, res, 301, 'text/plain; charset=utf-8', `${location}\n`, { Location: location });
  const notFound = (req: IncomingMessage, res: ServerResponse, path: string) =>
    sendHtml(req, res, 404, renderNotFoundPage(path, version, lang));
  const errorPage = (
    req: IncomingMessage,
    res: ServerResponse,
    problems: readonly ProblemEntry[],
    heading?: Text,
  ) => sendHtml(req, res, ERROR_STATUS, renderErrorPage(problems, version, lang, heading));

  /** The preview's own pages: `/_preview/` and `/_preview/<release>/`. */
  const toolPage = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ) => {
    if (path === '/_preview') return redirect(req, res, '/_preview/');
    if (path === '/_preview/') return sendHtml(req, res, 200, renderIndexPage(releaseViews(), version, lang));
    const match = /^\/_preview\/([^/]+)(\/?)$/.exec(path);
    let id: string | undefined;
    try {
      id = match ? decodeURIComponent(match[1]!) : undefined;
    } catch {
      id = undefined;
    }
    const release = releaseViews().find((r) => r.id === id);
    if (!match || !release) return notFound(req, res, path);
    if (!match[2]) return redirect(req, res, `/_preview/${encodeURIComponent(release.id)}/`);
    const view = parseToolbarState(query, release);
    let mjml: string | undefined;
    if (view.show === 'email' && view.format === 'mjml') {
      try {
        mjml = await mjmlSource(release.id, view.edition);
      } catch (err) {
        if (!(err instanceof AimqError)) log((err as Error)?.stack ?? String(err));
        return errorPage(req, res, problemsOf(err), {
          fr: 'La source MJML n’a pas pu être produite',
          en: 'The MJML source could not be made',
        });
      }
    }
    return sendHtml(req, res, 200, renderToolbarPage(release, view, version, mjml, lang));
  };

  /** A file of the built site; HTML gets the reload script, links to baseUrl made local, and the chosen color scheme. */
  const siteFile = (req: IncomingMessage, res: ServerResponse, rawPath: string, query: URLSearchParams) => {
    const found = resolveInside(out, rawPath);
    if (found.kind === 'forbidden')
      return sendText(req, res, 403, {
        fr: 'Interdit\u00a0: hors du dossier de l’aperçu.',
        en: 'Forbidden: outside the preview folder.',
      });
    if (found.kind === 'missing') return notFound(req, res, rawPath);
    let file = found.path;
    if (found.kind === 'directory') {
      if (!rawPath.endsWith('/')) return redirect(req, res, pathOf(found.segments, true) + searchOf(query));
      const index = resolveInside(out, `${pathOf(found.segments, true)}index.html`);
      if (index.kind !== 'file') return notFound(req, res, rawPath);
      file = index.path;
    }
    const type = contentTypeOf(file);
    const scheme = parseScheme(query.get('scheme'));
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      return notFound(req, res, rawPath);
    }
    if (type.startsWith('text/html')) {
      let html = localLinks(data.toString('utf8'), config.baseUrl);
      if (scheme) html = forceSchemeHtml(html, scheme);
      return sendHtml(req, res, 200, injectBeforeBodyEnd(html, reloadScript(version)));
    }
    if (type.startsWith('text/css') && scheme)
      return send(req, res, 200, type, forceSchemeCss(data.toString('utf8'), scheme));
    return send(req, res, 200, type, data);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendText(
        req,
        res,
        405,
        { fr: 'Méthode non permise.', en: 'Method not allowed.' },
        { Allow: 'GET, HEAD' },
      );
    // A page on another site must not reach a loopback server through a rebinding DNS name.
    if (LOOPBACK.has(options.host) && !hostIsLoopback(req.headers.host))
      return sendText(req, res, 403, {
        fr: 'Interdit\u00a0: en-tête Host inattendu.',
        en: 'Forbidden: unexpected Host header.',
      });
    const url = req.url ?? '/';
    if (!url.startsWith('/')) return sendText(req, res, 400, { fr: 'Requête invalide.', en: 'Bad request.' });
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    if (rawPath === EVENTS_PATH) return hub.add(res, version, req.method === 'HEAD');
    // A request during a rebuild waits for it rather than see a half-written site.
    while (building) await building;
    const tool = rawPath === '/_preview' || rawPath.startsWith('/_preview/');
    if (state && !state.ok && (tool || looksLikePage(rawPath))) return errorPage(req, res, state.problems);
    return tool ? toolPage(req, res, rawPath, query) : siteFile(req, res, rawPath, query);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`preview: ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent)
        sendHtml(
          req,
          res,
          500,
          renderErrorPage(problemsOf(err), version, lang, {
            fr: 'Erreur du serveur d’aperçu',
            en: 'Preview server error',
          }),
        );
      else res.end();
    });
  });

  let closed = false;
  try {
    await listenOn(server, options.port, options.host);
  } catch (err) {
    closed = true;
    hub.close();
    throw err;
  }
  // The first build starts in the same tick as listening, so no request sees the folder before it; the caller
  // waits for it too: the printed URL serves a site (or its problems). Changes made meanwhile are built next.
  schedule([]);
  const watcher: ProjectWatcher = watchProject(
    root,
    { folders: ['releases', 'templates'], files: [CONFIG_FILE], debounceMs: DEBOUNCE_MS },
    schedule,
  );
  await watcher.ready;
  while (building) await building;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/`;
  const named = releases.join(', ');
  log({
    fr: `Aperçu ${releases.length ? `de ${named}` : 'de tous les communiqués'}\u00a0: ${url} (la barre d’outils\u00a0: ${url}_preview/). Surveillance de releases/, templates/ et ${CONFIG_FILE}.`,
    en: `Preview of ${releases.length ? named : 'every release'}: ${url} (the toolbar: ${url}_preview/). Watching releases/, templates/ and ${CONFIG_FILE}.`,
  });

  return {
    url,
    port,
    async close() {
      if (closed) return;
      closed = true;
      await watcher.close();
      while (building) await building;
      hub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Every problem an error carries, as the error page and the log show them. */
function problemsOf(err: unknown): ProblemEntry[] {
  if (err instanceof AimqProblems) {
    const order = (a: Diagnostic, b: Diagnostic) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column);
    return [...err.diagnostics].sort(order).map((d) => diagnosticEntry(d));
  }
  if (err instanceof AimqError) {
    const where = [err.file, err.line, err.column].filter((p) => p !== undefined).join(':');
    return [
      {
        where: where || '—',
        severity: 'error',
        code: err.code,
        message: err.text,
        ...(err.hint ? { hint: err.hint } : {}),
      },
    ];
  }
  return [
    {
      where: '—',
      severity: 'error',
      code: 'AIMQ-INTERNAL',
      message: (err as Error)?.message ?? String(err),
      hint: {
        fr: 'une erreur inattendue dans aimq\u00a0: le terminal en montre les détails\u00a0; merci de la signaler',
        en: 'an unexpected error inside aimq: the terminal shows the details; please report it',
      },
    },
  ];
}

/** `file:line:col severity: message [CODE]` lines, as `release check` prints them, in each language. */
function formatProblems(problems: readonly ProblemEntry[]): Text {
  return textOf((l) =>
    problems
      .map(
        (p) =>
          `${p.where} ${LABELS[p.severity][l]} ${inLang(p.message, l)} [${p.code}]${p.hint ? `\n  ${LABELS.hint[l]} ${inLang(p.hint, l)}` : ''}`,
      )
      .join('\n'),
  );
}

/** Links and images that point at the published site (baseUrl) point at the preview instead. */
function localLinks(html: string, baseUrl: string): string {
  if (!baseUrl) return html;
  const escaped = baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return html.replace(new RegExp(`(\\s(?:href|src)=")${escaped}(?:/|(?="))`, 'g'), '$1/');
}

function hostIsLoopback(host: string | undefined): boolean {
  if (host === undefined) return true;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return LOOPBACK.has(name.toLowerCase());
}

function searchOf(query: URLSearchParams): string {
  const s = query.toString();
  return s ? `?${s}` : '';
}
