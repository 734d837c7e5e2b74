import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { AimqError } from '../errors/index.js';
import type { Config } from '../model/config.js';
import type { DkimKey } from './compose.js';

/**
 * The DKIM signing key, from the file or environment variable the config names; never from
 * the config itself. Messages name the source of the key, never the key.
 */
export function loadDkimKey(config: Config, env: NodeJS.ProcessEnv): DkimKey | undefined {
  const dkim = config.email?.dkim;
  if (!dkim) return undefined;
  let privateKey: string | undefined;
  if (dkim.privateKeyFile) {
    try {
      // A relative path is the project's, wherever the command runs from.
      privateKey = readFileSync(
        isAbsolute(dkim.privateKeyFile) ? dkim.privateKeyFile : join(config.root, dkim.privateKeyFile),
        'utf8',
      );
    } catch (err) {
      throw new AimqError(
        'AIMQ-DKIM-KEY',
        `cannot read the DKIM key file named by email.dkim.privateKeyFile (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        {
          file: config.file,
          hint: 'check the path and its permissions, or give the key in the environment variable named by email.dkim.privateKeyEnv',
        },
      );
    }
  } else {
    privateKey = env[dkim.privateKeyEnv];
  }
  if (!privateKey?.includes('PRIVATE KEY')) {
    throw new AimqError(
      'AIMQ-DKIM-KEY',
      dkim.privateKeyFile
        ? 'the DKIM key file does not hold a PEM private key'
        : `the environment variable ${dkim.privateKeyEnv} does not hold a PEM private key`,
      {
        file: config.file,
        hint: `set ${dkim.privateKeyEnv} to the PEM private key (the whole text of the .pem file), or remove email.dkim to send unsigned`,
      },
    );
  }
  try {
    createPrivateKey(privateKey);
  } catch {
    // The key's text stays out of the message: only where it came from is named.
    throw new AimqError(
      'AIMQ-DKIM-KEY',
      `the DKIM key from ${dkim.privateKeyFile ? 'email.dkim.privateKeyFile' : dkim.privateKeyEnv} is not a usable private key`,
      {
        file: config.file,
        hint: 'give a complete PEM private key (RSA or Ed25519)',
      },
    );
  }
  return { domainName: dkim.domainName, keySelector: dkim.keySelector, privateKey };
}
