import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE } from '../config/load.js';
import type { Config } from '../model/config.js';
import type { Message } from '../i18n/text.js';
import { parseYaml, type YamlPath } from '../schema/yaml.js';

export type Severity = 'ok' | 'warning' | 'error';

/** One result of `aimq doctor`: what was found, and for anything not ok, what to change and where. */
export interface Finding {
  /** `MX`, `SPF`, `DMARC`, `DKIM`, `alignment`, `SMTP`, `unsubscribe`. */
  check: string;
  severity: Severity;
  message: Message;
  /** What to change: the DNS record to publish with its exact text, or the config key. */
  fix?: Message;
  /** Where: a DNS name, or the config file and line. */
  where?: Message;
}

export const ok = (check: string, message: Message, where?: string): Finding => ({
  check,
  severity: 'ok',
  message,
  ...(where ? { where } : {}),
});

/**
 * `aimq.config.yaml:41` for a key of the config (its parent's line when the key is absent),
 * the file named as messages name it.
 */
export function configWhere(config: Pick<Config, 'file' | 'root'>, path: YamlPath): string {
  const name = config.file;
  try {
    const { line } = parseYaml(readFileSync(join(config.root, CONFIG_FILE), 'utf8')).locateKey(path);
    return `${name}:${line} (${path.join('.')})`;
  } catch {
    return `${name} (${path.join('.')})`;
  }
}

/**
 * Whether a DKIM signing domain is aligned with the From domain under DMARC's relaxed mode.
 * The rule compares organisational domains, which needs the public suffix list; aimq uses
 * a suffix match instead (one domain equal to, or a subdomain of, the other), which agrees
 * with it for every domain under a one-label suffix (.ca, .org, .net) and never calls
 * aligned two domains that are not.
 */
export function relaxedAligned(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}
