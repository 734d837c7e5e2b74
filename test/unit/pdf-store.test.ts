import { describe, expect, it } from 'vitest';
import type { StoredEdition } from '../../src/outbox/outbox.js';
import { hasPdf } from '../../src/sending/release-editions.js';
import { outboxBackends } from '../helpers/store-pg.js';

/**
 * A campaign's editions with the PDF edition attached (`--attach-pdf`), on both outbox
 * backends: the attachment's disposition and type come back as stored, beside inline images,
 * and a campaign stored before PDFs (no disposition) reads as inline images only.
 */

const PDF = Buffer.from('%PDF-1.4\n% test\n%%EOF\n').toString('base64');
const IMAGE = Buffer.from('not really a png').toString('base64');
const WITH_PDF: StoredEdition[] = [
  {
    edition: 'fr',
    subject: 'Sujet',
    html: '<p>fr <img src="cid:photo"></p>',
    text: 'fr',
    languages: ['fr-CA'],
    attachments: [
      { cid: 'photo', filename: 'photo.png', content: IMAGE },
      {
        cid: '',
        filename: 'communique.pdf',
        content: PDF,
        disposition: 'attachment',
        contentType: 'application/pdf',
      },
    ],
  },
];
const WITHOUT: StoredEdition[] = [
  {
    edition: 'fr',
    subject: 'Sujet',
    html: '<p>fr</p>',
    text: 'fr',
    languages: ['fr-CA'],
    attachments: [{ cid: 'photo', filename: 'photo.png', content: IMAGE }],
  },
];

const BACKENDS = outboxBackends('aimq-pdf-store-');

let seq = 0;

describe.each(BACKENDS)('PDF attachments in the outbox on $name', (b) => {
  it('keeps the PDF as a download attachment beside the inline image; older editions have none', async () => {
    const outbox = await b.open();
    try {
      const make = (editions: StoredEdition[]) => {
        const releaseId = `2026-12-01-pdf${++seq}`;
        return outbox.createCampaign(
          {
            releaseId,
            releaseDir: `releases/${releaseId}`,
            contentVersion: 'v1',
            createdAt: 1_800_000_000_000,
            scheduledAt: null,
            status: 'ready',
            source: 'cli',
            targets: ['lists/medias.csv'],
            editionMode: 'auto',
            replyTo: { name: 'Presse', address: 'presse@example.org' },
          },
          editions,
        );
      };
      const withPdf = await outbox.editions((await make(WITH_PDF)).id);
      expect(withPdf.get('fr')).toEqual(WITH_PDF[0]);
      expect(hasPdf(withPdf.values())).toBe(true);
      const without = await outbox.editions((await make(WITHOUT)).id);
      expect(without.get('fr')!.attachments[0]!.disposition).toBeUndefined();
      expect(hasPdf(without.values())).toBe(false);
    } finally {
      await outbox.close();
    }
  });
});
