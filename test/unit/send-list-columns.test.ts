import { describe, expect, it } from 'vitest';
import { parseListText } from '../../src/lists/read.js';

/**
 * Lists exported from the contact managers and CRMs used in Quebec name the language column
 * « Langue préférée » or « Langue de correspondance », and the organisation « Entreprise »
 * or "Company" (Mailchimp). Such a column was ignored with a warning, so that everyone on
 * the list got the bilingual edition.
 */

function read(csv: string) {
  return parseListText(Buffer.from(csv, 'utf8'), 'lists/crm.csv');
}

describe('language and organisation columns as exported by contact managers', () => {
  for (const header of [
    'Langue préférée',
    'Langue de correspondance',
    'langue_de_communication',
    'Preferred Language',
  ]) {
    it(`reads "${header}" as the language`, () => {
      const { recipients, problems } = read(`Courriel;Nom;${header}\nzoe@example.org;Zoé Roy;Anglais\n`);
      expect(problems.filter((p) => p.code === 'AIMQ-LIST-COLUMN')).toEqual([]);
      expect(recipients.map((r) => r.language)).toEqual(['en']);
    });
  }

  it('reads Entreprise and Company as the organisation', () => {
    for (const header of ['Entreprise', 'Company']) {
      const { recipients, problems } = read(`Email Address,${header}\nzoe@example.org,Le Devoir\n`);
      expect(problems.filter((p) => p.code === 'AIMQ-LIST-COLUMN')).toEqual([]);
      expect(recipients.map((r) => r.organization)).toEqual(['Le Devoir']);
    }
  });

  it('still prefers a plain « Langue » column to « Langue préférée » when a list has both', () => {
    const { recipients, problems } = read('email;langue préférée;langue\nzoe@example.org;fr;en\n');
    expect(recipients.map((r) => r.language)).toEqual(['en']);
    expect(problems.map((p) => p.code)).toContain('AIMQ-LIST-COLUMN');
  });
});
