import { loadConfig } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { startPreviewServer } from '../../preview/server.js';
import type { Io } from '../main.js';
import { untilStopped } from '../until-stopped.js';

/** `aimq release preview`: a local server with the site, every e-mail edition and live reload, until Ctrl-C. */
export async function previewCommand(
  io: Io,
  dirs: string[],
  opts: { port: string; host: string },
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AimqError(
      'AIMQ-USAGE',
      {
        fr: `--port\u00a0: «\u00a0${opts.port}\u00a0» n’est pas un numéro de port`,
        en: `--port: "${opts.port}" is not a port number`,
      },
      {
        hint: {
          fr: 'par exemple --port 4000 (0 en choisit un libre)',
          en: 'for example --port 4000 (0 picks a free one)',
        },
      },
    );
  const server = await startPreviewServer({
    config,
    cwd: io.cwd,
    releases: dirs,
    port,
    host: opts.host,
    lang: io.lang,
    log: (line) => io.stderr(io.t(line)),
  });
  io.stdout(server.url);
  if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host))
    io.stderr(
      io.t({
        fr: `À l’écoute sur ${opts.host}\u00a0: quiconque peut joindre cette machine peut voir les communiqués sous embargo.`,
        en: `Listening on ${opts.host}: anyone who can reach this machine can see embargoed releases.`,
      }),
    );
  io.stderr(io.t({ fr: 'Ctrl-C pour arrêter.', en: 'Ctrl-C to stop.' }));
  await untilStopped(io);
  await server.close();
  return EXIT.ok;
}
