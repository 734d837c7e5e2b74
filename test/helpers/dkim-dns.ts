import { type KeyObject, createPublicKey } from 'node:crypto';
import mailauthVerify from 'mailauth/lib/dkim/verify.js';

/**
 * DKIM checked by mailauth's verifier, as a receiving server does, with a resolver that
 * serves the public key as the TXT record `<selector>._domainkey.<domain>` would.
 */
export function dkimTxtRecord(publicKeyPem: string): string {
  const key: KeyObject = createPublicKey(publicKeyPem);
  const type = key.asymmetricKeyType;
  // RFC 8463: an Ed25519 record holds the raw 32-byte key; RSA's holds the SubjectPublicKeyInfo.
  const der = key.export({ type: 'spki', format: 'der' });
  const p = type === 'ed25519' ? der.subarray(der.length - 32) : der;
  return `v=DKIM1; k=${type}; p=${p.toString('base64')}`;
}

export interface DkimVerdict {
  result: string;
  comment?: string;
  signingDomain: string;
  selector: string;
  algo: string;
}

/** Every DKIM signature of the message, as mailauth judges it against the keys given by DNS name. */
export async function verifyWithMailauth(
  raw: Buffer | string,
  records: Record<string, string>,
): Promise<DkimVerdict[]> {
  const resolver = async (name: string, type: string): Promise<string[][]> => {
    const record = type === 'TXT' ? records[name.toLowerCase()] : undefined;
    if (!record) throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
    return [[record]];
  };
  const { results } = await mailauthVerify.dkimVerify(raw, { resolver });
  return results.map((r) => ({
    result: r.status.result,
    ...(r.status.comment ? { comment: r.status.comment } : {}),
    signingDomain: r.signingDomain,
    selector: r.selector,
    algo: r.algo,
  }));
}
