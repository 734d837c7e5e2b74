import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

export interface VnuMessage {
  type: string;
  subType?: string;
  url: string;
  lastLine?: number;
  message: string;
}

/** Runs the Nu Html Checker (vnu.jar from the vnu-jar package, on the system's Java) on files. */
export function nuCheck(files: string[], kind: 'html' | 'css' = 'html'): VnuMessage[] {
  const jar = String(createRequire(import.meta.url)('vnu-jar'));
  const args = [
    '-jar',
    jar,
    '--format',
    'json',
    '--stdout',
    ...(kind === 'css' ? ['--css', '--skip-non-css'] : []),
    ...files,
  ];
  const r = spawnSync('java', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  const parsed = JSON.parse(r.stdout) as { messages: VnuMessage[] };
  return parsed.messages;
}
