import { composeFor, type ComposeContext } from '../dispatch/plan.js';
import { createSmtpTransport, type SendResult, type SmtpSettings } from '../dispatch/transport.js';
import { TEST_CAMPAIGN } from '../message/unsubscribe-token.js';
import type { Campaign } from '../outbox/outbox.js';
import type { SendingContext } from './deliver.js';
import { editionMap } from './deliver.js';
import type { SendableRelease } from './release-editions.js';

export interface TestSendResult {
  edition: string;
  result: SendResult;
}

/**
 * `--test`: the edition asked for (each edition with `auto`) once to one address, `[TEST]`
 * in the subject, outside any campaign.
 */
export async function sendTest(
  release: SendableRelease,
  sending: SendingContext,
  settings: SmtpSettings,
  address: string,
  o: { insecure: boolean; onResult?: (r: TestSendResult) => void },
): Promise<TestSendResult[]> {
  const { config } = sending;
  const transport = createSmtpTransport(settings, {
    connections: 1,
    insecure: o.insecure,
    timeoutMs: sending.tunables.timeoutMs,
  });
  const campaign: Campaign = {
    id: TEST_CAMPAIGN,
    releaseId: release.source.release.id,
    releaseDir: release.source.release.dir,
    contentVersion: 'test',
    createdAt: 0,
    scheduledAt: null,
    status: 'ready',
    source: 'test',
    targets: [address],
    editionMode: 'test',
  };
  const ctx: ComposeContext = {
    config,
    campaign,
    editions: editionMap(release.editions),
    replyTo: release.replyTo,
    now: () => Date.now(),
    test: true,
    ...(sending.dkim ? { dkim: sending.dkim } : {}),
    // Campaign 0: test tokens, which the endpoint answers and records nothing for.
    ...(sending.unsubscribeSecret ? { unsubscribeSecret: sending.unsubscribeSecret } : {}),
  };
  const editions = release.editions.filter((e) => release.mode === 'auto' || e.edition === release.mode);
  const results: TestSendResult[] = [];
  try {
    for (const [i, e] of editions.entries()) {
      const { raw } = await composeFor(ctx, { id: i + 1, email: address, name: '', edition: e.edition });
      const result = await transport.send({ from: config.email!.from.address, to: address }, raw);
      const r = { edition: e.edition, result };
      results.push(r);
      o.onResult?.(r);
    }
  } finally {
    transport.close();
  }
  return results;
}
