// mailauth ships no type declarations; these cover the parts aimq uses.

declare module 'mailauth/lib/dkim/sign.js' {
  interface DkimSignOptions {
    canonicalization?: string;
    /** The t= tag; mailauth writes the clock's time when it is absent. */
    signTime?: Date;
    /** Colon-separated header field names to sign. */
    headerList?: string;
    signatureData: { signingDomain: string; selector: string; privateKey: string | Buffer }[];
  }
  interface DkimSignResult {
    /** The DKIM-Signature header lines, each ending in CRLF; only "\r\n" when nothing was signed. */
    signatures: string;
    errors: { err: Error & { code?: string } }[];
  }
  const sign: { dkimSign(input: Buffer | string, options: DkimSignOptions): Promise<DkimSignResult> };
  export = sign;
}

declare module 'mailauth/lib/tools.js' {
  const tools: {
    /** The entry of `domainList` aligned with `fromDomain` (same organisational domain unless strict), or false. */
    getAlignment(fromDomain: string, domainList: string[], strict?: boolean): { domain: string } | false;
  };
  export = tools;
}

// Used by the tests, which check signatures as a receiving server would.
declare module 'mailauth/lib/dkim/verify.js' {
  interface DkimVerifyResult {
    results: {
      signingDomain: string;
      selector: string;
      algo: string;
      status: { result: string; comment?: string; aligned?: string | false };
    }[];
  }
  const verify: {
    dkimVerify(
      input: Buffer | string,
      options: { resolver: (name: string, type: string) => Promise<string[][]> },
    ): Promise<DkimVerifyResult>;
  };
  export = verify;
}
