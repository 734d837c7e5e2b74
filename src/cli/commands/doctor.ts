import { loadConfig } from '../../config/load.js';
import { doctorDns } from '../../doctor/dns.js';
import { runDoctor } from '../../doctor/doctor.js';
import type { Finding } from '../../doctor/finding.js';
import { parseEndpointOverride } from '../../doctor/unsubscribe.js';
import { EXIT } from '../../errors/index.js';
import { sendTunables } from '../../sending/tunables.js';
import type { Io } from '../main.js';

/** How long one DNS query, the SMTP check and the POST may take. */
const TIMEOUT_MS = 10_000;

const LABEL: Record<Finding['severity'], string> = { ok: 'ok', warning: 'warning', error: 'error' };

/** `aimq doctor`: one line per finding, what to change under it; exit 1 when any finding is an error. */
export async function doctorCommand(
  io: Io,
  opts: { dns?: string; unsubscribeUrl?: string; insecure?: boolean; format: 'text' | 'json' },
): Promise<number> {
  const config = loadConfig(io.cwd, io.cwd);
  const server = opts.dns ?? (io.env.AIMQ_DNS || undefined);
  const override =
    opts.unsubscribeUrl === undefined ? undefined : parseEndpointOverride(opts.unsubscribeUrl).href;
  const report = await runDoctor({
    config,
    env: io.env,
    dns: doctorDns(server),
    ...(override ? { unsubscribeUrl: override } : {}),
    insecure: Boolean(opts.insecure),
    timeoutMs: Math.min(TIMEOUT_MS, sendTunables(io.env).timeoutMs),
  });
  if (opts.format === 'json')
    io.stdout(
      JSON.stringify(
        {
          ...report,
          findings: report.findings.map((f) => ({
            ...f,
            message: io.t(f.message),
            ...(f.fix ? { fix: io.t(f.fix) } : {}),
          })),
        },
        null,
        2,
      ),
    );
  else {
    const lines = [`aimq doctor: ${report.domain} (DNS: ${report.dns})`];
    for (const f of report.findings) {
      lines.push(`${LABEL[f.severity].padEnd(8)}${f.check.padEnd(12)}${io.t(f.message)}`);
      if (f.fix) lines.push(`${' '.repeat(20)}fix: ${io.t(f.fix)}`);
      if (f.where && f.severity !== 'ok') lines.push(`${' '.repeat(20)}where: ${f.where}`);
    }
    io.stdout(lines.join('\n'));
    io.stderr(
      `${report.errors} error(s), ${report.warnings} warning(s)${report.errors ? ': messages may not arrive' : ''}.`,
    );
  }
  return report.errors ? EXIT.content : EXIT.ok;
}
