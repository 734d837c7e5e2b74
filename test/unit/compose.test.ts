import { describe, expect, it } from 'vitest';
import { personalHeaders, personalHeadersByMimeNode } from '../../src/message/compose.js';

/** The per-recipient headers written directly must be MimeNode's, byte for byte, or come from MimeNode. */

const NAMES = [
  '',
  'Destinataire 1',
  'Jean Dupont',
  'X',
  'Élise Côté',
  'A.B. Smith',
  'O’Neil',
  'Name "Quoted"',
  'back\\slash',
  ' Leading',
  'Trailing ',
  'Two  spaces',
  'Très long nom qui déborde de la ligne et qu’il faut replier',
  'Very Long Name That Goes On And On And On Forever Really Long Indeed',
  'a,b',
  'a;b',
  'Name (comment)',
  '=?UTF-8?Q?x?=',
  'Tab\there',
  'Line\nbreak',
];
const ADDRESSES = [
  'bench-000001@example.com',
  'Jean.Dupont@Example.ORG',
  'x@example.org',
  'first.last+tag@sub.example.co.uk',
  'élise@exemple.québec',
  'user@xn--exmple-cua.com',
  'someone.with.a.long.address@subdomain.of.a.long.domain.example.org',
  "o'neil@example.org",
  'UPPER@EXAMPLE.COM',
];
const IDS = [
  '<1.2.abc123def456@example.org>',
  '<12.3456.0123456789ab@aimq.net>',
  '<weird id@example.org>',
  'no-brackets@example.org',
];
const DATES = [
  new Date(0),
  new Date(1_800_000_000_000),
  new Date(Date.UTC(2026, 11, 1, 9, 5, 7)),
  new Date(Date.UTC(2030, 0, 9, 23, 59, 59, 999)),
];

describe('personal headers of a prepared message', () => {
  it('are byte for byte what MimeNode writes, for plain and awkward names, addresses, Message-IDs and dates', () => {
    let checked = 0;
    for (const name of NAMES)
      for (const address of ADDRESSES)
        for (const id of IDS)
          for (const date of DATES) {
            const mime = personalHeadersByMimeNode(
              name ? `"${name.replace(/["\\]/g, '')}" <${address}>` : address,
              id,
              date,
            );
            expect(
              personalHeaders({ name, address }, id, date),
              `${name} <${address}> ${id} ${date.toISOString()}`,
            ).toBe(mime);
            checked++;
          }
    expect(checked).toBe(NAMES.length * ADDRESSES.length * IDS.length * DATES.length);
  });
});
