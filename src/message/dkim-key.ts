import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { AimqError } from '../errors/index.js';
import { formatNumber } from '../i18n/text.js';
import type { Config } from '../model/config.js';
import type { DkimKey } from './compose.js';

/** RFC 8301: signers must use RSA keys of at least 1024 bits. */
const MIN_RSA_BITS = 1024;

/**
 * A PEM key as environment variables carry it where a value cannot span lines (a .env or
 * systemd EnvironmentFile line, a Docker or Heroku setting): its line breaks written `\n`,
 * or the whole file in base64 (a Kubernetes secret). Anything else is returned as is.
 */
export function pemFromEnvironment(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text.includes('PRIVATE KEY')) {
    return text.includes('\n') ? text : text.replace(/\\r\\n|\\n/g, '\n');
  }
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) {
    const decoded = Buffer.from(text, 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN') && decoded.includes('PRIVATE KEY')) return decoded;
  }
  return value;
}

/**
 * The DKIM signing key, from the file or environment variable the config names; never from
 * the config itself. Messages name the source of the key, never the key. Refuses, with
 * AIMQ-DKIM-KEY, a key that is missing, unreadable, neither RSA nor Ed25519, or an RSA key
 * under 1024 bits: a message that should be signed never goes out unsigned.
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
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new AimqError(
        'AIMQ-DKIM-KEY',
        {
          fr: `impossible de lire le fichier de clé DKIM nommé par email.dkim.privateKeyFile (${code})`,
          en: `cannot read the DKIM key file named by email.dkim.privateKeyFile (${code})`,
        },
        {
          file: config.file,
          hint: {
            fr: 'vérifiez le chemin et ses droits d’accès, ou donnez la clé dans la variable d’environnement nommée par email.dkim.privateKeyEnv',
            en: 'check the path and its permissions, or give the key in the environment variable named by email.dkim.privateKeyEnv',
          },
        },
      );
    }
  } else {
    privateKey = pemFromEnvironment(env[dkim.privateKeyEnv]);
  }
  if (!privateKey?.includes('PRIVATE KEY')) {
    throw new AimqError(
      'AIMQ-DKIM-KEY',
      dkim.privateKeyFile
        ? {
            fr: 'le fichier de clé DKIM ne contient pas de clé privée PEM',
            en: 'the DKIM key file does not hold a PEM private key',
          }
        : {
            fr: `la variable d’environnement ${dkim.privateKeyEnv} ne contient pas de clé privée PEM`,
            en: `the environment variable ${dkim.privateKeyEnv} does not hold a PEM private key`,
          },
      {
        file: config.file,
        hint: {
          fr: `donnez à ${dkim.privateKeyEnv} la clé privée PEM (tout le texte du fichier .pem), ou retirez email.dkim pour envoyer sans signature`,
          en: `set ${dkim.privateKeyEnv} to the PEM private key (the whole text of the .pem file), or remove email.dkim to send unsigned`,
        },
      },
    );
  }
  const source = dkim.privateKeyFile ? 'email.dkim.privateKeyFile' : dkim.privateKeyEnv;
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKey);
  } catch {
    // The key's text stays out of the message: only where it came from is named.
    throw new AimqError(
      'AIMQ-DKIM-KEY',
      {
        fr: `la clé DKIM tirée de ${source} n’est pas une clé privée utilisable`,
        en: `the DKIM key from ${source} is not a usable private key`,
      },
      {
        file: config.file,
        hint: {
          fr: 'donnez une clé privée PEM complète (RSA ou Ed25519)',
          en: 'give a complete PEM private key (RSA or Ed25519)',
        },
      },
    );
  }
  // DKIM knows two algorithms (RFC 6376, RFC 8463); a key of another type would leave messages unsigned.
  const type = key.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ed25519') {
    throw new AimqError(
      'AIMQ-DKIM-KEY',
      {
        fr: `la clé DKIM tirée de ${source} ${type === undefined ? 'n’est pas une clé asymétrique' : `est une clé ${type.toUpperCase()}`}, que DKIM ne peut pas utiliser`,
        en: `the DKIM key from ${source} is ${type === undefined ? 'not an asymmetric key' : `an ${type.toUpperCase()} key`}, which DKIM cannot use`,
      },
      {
        file: config.file,
        hint: {
          fr: 'utilisez une clé RSA (2048 bits) ou une clé Ed25519',
          en: 'use an RSA key (2048 bits) or an Ed25519 key',
        },
      },
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (type === 'rsa' && bits < MIN_RSA_BITS) {
    // RFC 8301: verifiers must not accept signatures from shorter RSA keys.
    throw new AimqError(
      'AIMQ-DKIM-KEY',
      {
        fr: `la clé DKIM tirée de ${source} est une clé RSA de ${formatNumber(bits, 'fr')}\u00a0bits\u00a0: les destinataires ignorent les signatures des clés de moins de ${formatNumber(MIN_RSA_BITS, 'fr')}\u00a0bits`,
        en: `the DKIM key from ${source} is a ${bits}-bit RSA key: receivers ignore signatures from keys under ${MIN_RSA_BITS} bits`,
      },
      {
        file: config.file,
        hint: {
          fr: 'générez une clé de 2048 bits (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) et publiez sa clé publique',
          en: 'generate a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) and publish its public key',
        },
      },
    );
  }
  return { domainName: dkim.domainName, keySelector: dkim.keySelector, privateKey };
}
