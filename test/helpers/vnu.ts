import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

export interface VnuMessage {
  type: string;
  subType?: string;
  url: string;
  lastLine?: number;
  message: string;
}

/**
 * Runs the Nu Html Checker (vnu.jar from the vnu-jar package, on the system's Java) on files.
 * `both` checks HTML and CSS files in one run: Java's start-up is most of a check's time.
 */
export function nuCheck(files: string[], kind: 'html' | 'css' | 'both' = 'html'): VnuMessage[] {
  const jar = String(createRequire(import.meta.url)('vnu-jar'));
  const args = [
    // A short run: the C1 compiler alone halves the checker's CPU time for the same report;
    // its deeper stacks need more than the checker's 512k minimum.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Xss8m',
    '-jar',
    jar,
    '--format',
    'json',
    '--stdout',
    ...(kind === 'css' ? ['--css', '--skip-non-css'] : kind === 'both' ? ['--also-check-css'] : []),
    ...files,
  ];
  const r = spawnSync('java', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  const parsed = JSON.parse(r.stdout) as { messages: VnuMessage[] };
  return parsed.messages;
}
