import { loadConfig } from '../../config/load.js';
import { doctorDns } from '../../doctor/dns.js';
import { runDoctor } from '../../doctor/doctor.js';
import type { Finding } from '../../doctor/finding.js';
import { parseEndpointOverride } from '../../doctor/unsubscribe.js';
import { EXIT } from '../../errors/index.js';
import { counted, type Text } from '../../i18n/text.js';
import { sendTunables } from '../../sending/tunables.js';
import type { Io } from '../main.js';

/** How long one DNS query, the SMTP check and the POST may take. */
const TIMEOUT_MS = 10_000;

const LABEL: Record<Finding['severity'], Text> = {
  ok: { fr: 'ok', en: 'ok' },
  warning: { fr: 'avertissement', en: 'warning' },
  error: { fr: 'erreur', en: 'error' },
};

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
          dns: io.t(report.dns),
          findings: report.findings.map((f) => ({
            ...f,
            message: io.t(f.message),
            ...(f.fix ? { fix: io.t(f.fix) } : {}),
            ...(f.where ? { where: io.t(f.where) } : {}),
          })),
        },
        null,
        2,
      ),
    );
  else {
    const fr = io.lang === 'fr';
    const lines = [
      io.t({
        fr: `aimq doctor\u00a0: ${report.domain} (DNS\u00a0: ${io.t(report.dns)})`,
        en: `aimq doctor: ${report.domain} (DNS: ${io.t(report.dns)})`,
      }),
    ];
    // The longest label and a space: 8 columns in English, as before.
    const width = Math.max(...Object.values(LABEL).map((l) => io.t(l).length)) + 1;
    const indent = ' '.repeat(width + 12);
    for (const f of report.findings) {
      lines.push(`${io.t(LABEL[f.severity]).padEnd(width)}${f.check.padEnd(12)}${io.t(f.message)}`);
      if (f.fix) lines.push(`${indent}${io.t({ fr: 'correction\u00a0: ', en: 'fix: ' })}${io.t(f.fix)}`);
      if (f.where && f.severity !== 'ok')
        lines.push(`${indent}${io.t({ fr: 'où\u00a0: ', en: 'where: ' })}${io.t(f.where)}`);
    }
    io.stdout(lines.join('\n'));
    const errors = counted(report.errors, { fr: ['erreur', 'erreurs'], en: ['error', 'errors'] });
    const warnings = counted(report.warnings, {
      fr: ['avertissement', 'avertissements'],
      en: ['warning', 'warnings'],
    });
    io.stderr(
      fr
        ? `${errors.fr}, ${warnings.fr}${report.errors ? '\u00a0: des courriels risquent de ne pas arriver' : ''}.`
        : `${errors.en}, ${warnings.en}${report.errors ? ': messages may not arrive' : ''}.`,
    );
  }
  return report.errors ? EXIT.content : EXIT.ok;
}
