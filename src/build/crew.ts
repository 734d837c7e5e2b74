import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AimqError, AimqProblems, type Code, type Diagnostic } from '../errors/index.js';
import type { Config } from '../model/config.js';
import type { LoadOutcome, RenderOutcome, WorkshopOptions } from './workshop.js';

/**
 * Who does a build's per-release work: the build's own thread for a few releases, or one
 * worker thread per core for many, since parsing, checking and rendering a release is CPU
 * work that does not depend on any other release. Both kinds answer in the order asked.
 */
export interface Crew {
  readonly threads: number;
  load(dirs: readonly string[]): Promise<LoadOutcome[]>;
  /** Renders and writes releases `load` accepted (each in the thread that loaded it). */
  render(ids: readonly string[]): Promise<RenderOutcome[]>;
  close(): Promise<void>;
}

/** Below this many releases to load, starting workers (each loads the renderers) costs more than it saves. */
const MIN_RELEASES_PER_WORKER = 12;
/** Releases per load message: small enough to share the work evenly, large enough to keep messages rare. */
const LOAD_BATCH = 4;

// From dist/build/ (compiled) and from dist/bundle/chunks/ (bundled) alike.
const WORKER_FILE = fileURLToPath(new URL('../build/worker.js', import.meta.url));

/** How many threads to use for `releases` releases: `asked` when given (1: none), else one per core, fewer for a small build. */
export function crewSize(releases: number, asked?: number): number {
  return (
    asked ?? Math.max(1, Math.min(availableParallelism(), Math.floor(releases / MIN_RELEASES_PER_WORKER), 8))
  );
}

/** The thread count a user asked for in `AIMQ_BUILD_THREADS`, if any. */
export function threadsFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const asked = env.AIMQ_BUILD_THREADS;
  if (asked === undefined || asked === '') return undefined;
  const n = Number(asked);
  if (!Number.isInteger(n) || n < 1)
    throw new AimqError(
      'AIMQ-USAGE',
      `AIMQ_BUILD_THREADS must be a whole number of threads, 1 or more, not "${asked}"`,
      { hint: 'unset it to use one thread per core' },
    );
  return n;
}

export async function createCrew(
  size: number,
  config: Config,
  options: WorkshopOptions,
  cwd: string,
): Promise<Crew> {
  // Workers run the compiled worker.js; from the TypeScript sources (the unit tests) there is none.
  if (size <= 1 || !existsSync(WORKER_FILE)) {
    const { Workshop } = await import('./workshop.js');
    const workshop = new Workshop(config, options);
    return {
      threads: 1,
      load: async (dirs) => dirs.map((dir) => workshop.load(dir)),
      render: async (ids) => {
        const out: RenderOutcome[] = [];
        for (const id of ids) out.push(await workshop.render(id));
        return out;
      },
      close: async () => {},
    };
  }
  return threadCrew(size, { root: config.root, cwd, options });
}

// ---------------------------------------------------------------------------------------
// The messages between the build and its workers

export interface WorkerData {
  root: string;
  cwd: string;
  options: WorkshopOptions;
}

type Request = { kind: 'prepare' } | { kind: 'load'; dirs: string[] } | { kind: 'render'; ids: string[] };
export type CrewRequest = Request & { seq: number };
export type CrewReply =
  | { seq: number; prepared: true }
  | { seq: number; loaded: LoadOutcome[] }
  | { seq: number; rendered: RenderOutcome[] }
  | { seq: number; error: WireError };

/** An error as it crosses from a worker: aimq's errors keep their code, file and diagnostics. */
type WireError =
  | { kind: 'problems'; code: Code; diagnostics: Diagnostic[] }
  | {
      kind: 'aimq';
      code: Code;
      message: string;
      file?: string;
      line?: number;
      column?: number;
      hint?: string;
    }
  | { kind: 'other'; message: string };

export function toWire(err: unknown): WireError {
  if (err instanceof AimqProblems) return { kind: 'problems', code: err.code, diagnostics: err.diagnostics };
  if (err instanceof AimqError) {
    const { code, message, file, line, column, hint } = err;
    return {
      kind: 'aimq',
      code,
      message,
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { line }),
      ...(column === undefined ? {} : { column }),
      ...(hint === undefined ? {} : { hint }),
    };
  }
  return { kind: 'other', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}

function fromWire(wire: WireError): Error {
  if (wire.kind === 'problems') return new AimqProblems(wire.diagnostics, wire.code);
  if (wire.kind === 'aimq') return new AimqError(wire.code, wire.message, wire);
  return new Error(`in a build worker: ${wire.message}`);
}

// ---------------------------------------------------------------------------------------
// Worker threads

class Hand {
  private seq = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (r: CrewReply) => void; reject: (e: Error) => void }
  >();
  private failure?: Error;

  constructor(readonly worker: Worker) {
    worker.on('message', (reply: CrewReply) => {
      const w = this.waiting.get(reply.seq);
      this.waiting.delete(reply.seq);
      if ('error' in reply) w?.reject(fromWire(reply.error));
      else w?.resolve(reply);
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', (err) => fail(new Error(`a build worker stopped: ${err.stack ?? err.message}`)));
    worker.on('exit', (code) => fail(new Error(`a build worker exited (code ${code})`)));
  }

  ask(request: Request): Promise<CrewReply> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.worker.postMessage({ seq, ...request });
    });
  }
}

function threadCrew(size: number, data: WorkerData): Crew {
  const hands = Array.from({ length: size }, () => new Hand(new Worker(WORKER_FILE, { workerData: data })));
  const owner = new Map<string, Hand>();
  return {
    threads: size,
    async load(dirs) {
      const outcomes: LoadOutcome[] = new Array(dirs.length);
      let next = 0;
      // Each worker takes the next few releases when it is done with its last: an even share
      // however long each release takes. The first compiles the e-mail layout first, once for
      // all (MJML is the costliest thing a build loads); the others find it in .aimq/.
      await Promise.all(
        hands.map(async (hand, k) => {
          if (k === 0) await hand.ask({ kind: 'prepare' });
          while (next < dirs.length) {
            const start = next;
            next = Math.min(dirs.length, next + LOAD_BATCH);
            const reply = await hand.ask({ kind: 'load', dirs: dirs.slice(start, next) });
            if (!('loaded' in reply)) throw new Error('a build worker answered a load with something else');
            reply.loaded.forEach((outcome, k) => {
              outcomes[start + k] = outcome;
              if (outcome.loaded) owner.set(outcome.id, hand);
            });
          }
        }),
      );
      return outcomes;
    },
    async render(ids) {
      const byHand = new Map<Hand, string[]>();
      for (const id of ids) {
        const hand = owner.get(id);
        if (!hand) throw new Error(`release ${id} was not loaded by this build`);
        const own = byHand.get(hand);
        if (own) own.push(id);
        else byHand.set(hand, [id]);
      }
      const rendered = new Map<string, RenderOutcome>();
      await Promise.all(
        [...byHand].map(async ([hand, own]) => {
          const reply = await hand.ask({ kind: 'render', ids: own });
          if (!('rendered' in reply)) throw new Error('a build worker answered a render with something else');
          for (const r of reply.rendered) rendered.set(r.id, r);
        }),
      );
      return ids.map((id) => rendered.get(id)!);
    },
    async close() {
      await Promise.all(hands.map((h) => h.worker.terminate()));
    },
  };
}
