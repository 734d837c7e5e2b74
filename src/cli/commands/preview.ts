import { loadConfig } from '../../config/load.js';
import { AimqError, EXIT } from '../../errors/index.js';
import { startPreviewServer } from '../../preview/server.js';
import type { Io } from '../main.js';

/** `aimq release preview`: a local server with the site, every e-mail edition and live reload, until Ctrl-C. */
export async function previewCommand(
  io: Io,
  dirs: string[],
  opts: { port: string; host: string },
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AimqError('AIMQ-USAGE', `--port: "${opts.port}" is not a port number`, {
      hint: 'for example --port 4000 (0 picks a free one)',
    });
  const server = await startPreviewServer({
    config,
    cwd: io.cwd,
    releases: dirs,
    port,
    host: opts.host,
    log: (line) => io.stderr(line),
  });
  io.stdout(server.url);
  if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host))
    io.stderr(`Listening on ${opts.host}: anyone who can reach this machine can see embargoed releases.`);
  io.stderr('Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (io.stopRequested()) {
        clearInterval(check);
        resolve();
      }
    }, 200);
  });
  await server.close();
  return EXIT.ok;
}
