import { appendFileSync, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CODES, type Diagnostic } from '../../src/errors/index.js';
import { CsvParser, detectDelimiter, parseCsv, type CsvRecord } from '../../src/lists/csv.js';
import { decodeWindows1252, firstInvalidUtf8, ListDecoder } from '../../src/lists/encoding.js';
import { parseListText, readList } from '../../src/lists/read.js';
import { parseLanguage, type Recipient } from '../../src/lists/recipient.js';
import { appendSuppression, readSuppression, SuppressionWatcher } from '../../src/lists/suppression.js';
import { REPO, tempDir } from '../helpers/cli.js';
import { en } from '../helpers/text.js';

const FIXTURES = join(REPO, 'test', 'fixtures', 'lists');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

const parse = (text: string | Buffer, file = 'lists/l.csv') =>
  parseListText(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, file);
const codes = (problems: Diagnostic[]) =>
  problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.code}`);
const fieldsOf = (records: CsvRecord[]) => records.map((r) => r.fields);

/** Windows-1252 bytes for text made of Latin-1 characters and ’ (0x92). */
const cp1252 = (text: string) =>
  Buffer.from([...text].map((c) => (c === '’' ? 0x92 : c === '€' ? 0x80 : c.charCodeAt(0))));

describe('CSV parser', () => {
  it('reads quoted fields with delimiters, "" escapes and line breaks, and counts physical lines', () => {
    const { records } = parseCsv('a,b,c\n"x, y","say ""hi""","line 1\nline 2\nline 3"\nlast,"",z\n');
    expect(fieldsOf(records)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line 1\nline 2\nline 3'],
      ['last', '', 'z'],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[1]!.columns).toEqual([1, 8, 21]);
  });

  it('detects ; , and tab from the header line, counting outside quotes', () => {
    expect(detectDelimiter('email;nom;langue')).toBe(';');
    expect(detectDelimiter('email,nom')).toBe(',');
    expect(detectDelimiter('email\tnom\tlangue')).toBe('\t');
    expect(detectDelimiter('"a;b;c",d')).toBe(',');
    expect(detectDelimiter('email')).toBe(',');
    expect(parseCsv('email;nom\n"a@b.ca";"Côté, Luc"\n').records[1]!.fields).toEqual(['a@b.ca', 'Côté, Luc']);
    expect(parseCsv('email\tnom\r\na@b.ca\tLuc\r\n').records[1]!.fields).toEqual(['a@b.ca', 'Luc']);
  });

  it('accepts CRLF, LF and CR line ends, and a last line without one', () => {
    const { records } = parseCsv('a,b\r\n1,"x\r\ny"\r\n2,z\r3,w');
    expect(fieldsOf(records)).toEqual([
      ['a', 'b'],
      ['1', 'x\r\ny'],
      ['2', 'z'],
      ['3', 'w'],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4, 5]);
  });

  it('gives the same records whatever the chunk boundaries (one character at a time, CRLF split)', () => {
    const text = 'email;nom\r\n"a@b.ca";"Tremblay; ""Marie"""\r\n\r\nc@d.ca;"deux\r\nlignes"\r\ne@f.ca;fin';
    const whole = parseCsv(text).records;
    const parser = new CsvParser();
    const pieces: CsvRecord[] = [];
    for (const c of text) pieces.push(...parser.push(c));
    pieces.push(...parser.end());
    expect(pieces).toEqual(whole);
    expect(whole.map((r) => r.line)).toEqual([1, 2, 3, 4, 6]);
  });

  it('is lenient with spaces before a quote, text after a closing quote, and a quote inside a field', () => {
    expect(parseCsv('a, "b, c",d"e,"f"g\n').records[0]!.fields).toEqual(['a', 'b, c', 'd"e', 'fg']);
  });

  it('takes the delimiter from Excel’s sep= line, which is not a record', () => {
    const { delimiter, records } = parseCsv('sep=;\r\nemail;nom\r\na@b.ca;Luc, Côté\r\n');
    expect(delimiter).toBe(';');
    expect(fieldsOf(records)).toEqual([
      ['email', 'nom'],
      ['a@b.ca', 'Luc, Côté'],
    ]);
    expect(records.map((r) => r.line)).toEqual([2, 3]);
  });

  it('flags a quoted field that is never closed', () => {
    const { records } = parseCsv('a,b\n1,"open\n2,3\n');
    expect(records[1]!.unterminated).toBe(true);
  });
});

describe('encodings', () => {
  it('reads UTF-8 with a BOM, and UTF-8 split across chunks', () => {
    const { recipients, encoding, problems } = parseListText(fixture('bom-utf8.csv'), 'lists/bom.csv');
    expect(encoding).toBe('utf-8');
    expect(problems).toEqual([]);
    expect(recipients.map((r) => r.email)).toEqual([
      'julie.levesque@example.org',
      'sam.lee@example.com',
      'nadia.roy@example.net',
    ]);
    const decoder = new ListDecoder();
    const bytes = Buffer.from('\uFEFFemail\nélan@x.ca\n', 'utf8');
    const text = [...bytes]
      .flatMap((b) => decoder.push(Uint8Array.of(b)))
      .concat(decoder.end())
      .map((t) => t.text)
      .join('');
    expect(text).toBe('email\nélan@x.ca\n');
    expect(decoder.encoding).toBe('utf-8');
  });

  it('reads Windows-1252 (é = 0xE9, ’ = 0x92) and says so in a note, not a warning', () => {
    const { recipients, encoding, problems, notes } = parseListText(
      fixture('medias-windows-1252.csv'),
      'lists/medias.csv',
    );
    expect(encoding).toBe('windows-1252');
    expect(problems).toEqual([]);
    expect(notes).toEqual([
      {
        file: 'lists/medias.csv',
        line: 1,
        message: expect.objectContaining({ en: expect.stringMatching(/not valid UTF-8.*Windows-1252/) }),
      },
    ]);
    expect(recipients[2]).toMatchObject({
      email: 'helene.cote@radio.example',
      name: 'Hélène Côté',
      language: 'bilingual',
      organization: 'Radio-Canada',
      consent: 'express',
      consentSource: 'Formulaire d’inscription',
    });
    expect(recipients[1]!.consentSource).toBe('Page «\u00a0Contact\u00a0» du journal');
    expect(recipients[3]!.consentSource).toBe('Membre de l’AIMQ (cœur du réseau)');
  });

  it('decodes 0x80–0x9F the Windows-1252 way, not as Latin-1 controls', () => {
    expect(decodeWindows1252(Uint8Array.of(0x80, 0x92, 0x9c, 0x96, 0xe9))).toBe('€’œ–é');
  });

  it('switches to Windows-1252 at the first line that is not UTF-8, even after the first 64 KB', () => {
    const ascii = `email,name\n${Array.from({ length: 3000 }, (_, i) => `person${i}@example.org,Person ${i}`).join('\n')}\n`;
    expect(ascii.length).toBeGreaterThan(64 * 1024);
    const bytes = Buffer.concat([Buffer.from(ascii), cp1252('late@example.org,Hélène d’Amours\n')]);
    const { recipients, encoding, notes, problems } = parseListText(bytes, 'l.csv');
    expect(problems).toEqual([]);
    expect(encoding).toBe('windows-1252');
    expect(recipients.at(-1)!.name).toBe('Hélène d’Amours');
    expect(notes[0]!.line).toBe(3002);
  });

  it('streams a file read in 64 KB chunks, switching to Windows-1252 late, with a note item', async () => {
    const path = join(tempDir(), 'late.csv');
    const rows = Array.from({ length: 5000 }, (_, i) => `person${i}@example.org;Personne ${i};fr`).join(
      '\r\n',
    );
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`courriel;nom;langue\r\n${rows}\r\n`),
        cp1252('late@example.org;Hélène d’Amours;anglais\r\n'),
      ]),
    );
    const list = readList(path, 'late.csv');
    expect(list.encoding).toBe('utf-8');
    const items = [];
    for await (const item of list) items.push(item);
    expect(list.encoding).toBe('windows-1252');
    expect(items.filter((i) => i.problem)).toEqual([]);
    expect(items.filter((i) => i.note).map((i) => i.note!.line)).toEqual([5002]);
    const recipients = items.flatMap((i) => (i.recipient ? [i.recipient] : []));
    expect(recipients).toHaveLength(5001);
    expect(recipients.at(-1)).toMatchObject({ name: 'Hélène d’Amours', language: 'en', line: 5002 });
  });

  it('throws AIMQ-LIST-NOT-FOUND for a missing file', async () => {
    const iterate = async (path: string) => {
      for await (const item of readList(path, 'x.csv')) void item;
    };
    await expect(iterate(join(tempDir(), 'missing.csv'))).rejects.toMatchObject({
      code: 'AIMQ-LIST-NOT-FOUND',
    });
    await expect(iterate(tempDir())).rejects.toMatchObject({ code: 'AIMQ-LIST-NOT-FOUND' });
  });

  it('warns when a file mixes UTF-8 and Windows-1252 lines, and reads each line right', () => {
    const bytes = Buffer.concat([
      Buffer.from('email,name\na@x.ca,Hélène\n', 'utf8'),
      cp1252('b@x.ca,Noël\n'),
    ]);
    const { recipients, problems } = parseListText(bytes, 'l.csv');
    expect(recipients.map((r) => r.name)).toEqual(['Hélène', 'Noël']);
    expect(codes(problems)).toEqual(['3:1 warning AIMQ-LIST-MIXED-ENCODING']);
  });

  it('finds the first invalid UTF-8 byte', () => {
    expect(firstInvalidUtf8(Buffer.from('aé€😀', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Uint8Array.of(0x61, 0xe9, 0x62))).toBe(1);
    expect(firstInvalidUtf8(Uint8Array.of(0x61, 0xc3))).toBe(1);
    expect(firstInvalidUtf8(Uint8Array.of(0xed, 0xa0, 0x80))).toBe(0);
  });

  it('refuses UTF-16 with a clear error', () => {
    const { problems } = parseListText(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('email\n', 'utf16le')]),
      'l.csv',
    );
    expect(codes(problems)).toEqual(['1:1 error AIMQ-LIST-ENCODING']);
  });
});

describe('columns', () => {
  it('maps French headers with accents, case and odd spacing', () => {
    const text =
      ' Adresse  Courriel ;NOM;langue ;  MÉDIA;consentement;Date_du-Consentement;source du  consentement\nluc@x.ca;Luc Côté;Anglais;Le Soleil;Express;2024-05-01;salon\n';
    const { recipients, problems } = parse(text);
    expect(problems).toEqual([]);
    expect(recipients[0]).toEqual<Recipient>({
      email: 'luc@x.ca',
      key: 'luc@x.ca',
      name: 'Luc Côté',
      language: 'en',
      organization: 'Le Soleil',
      consent: 'express',
      consentDate: '2024-05-01',
      consentSource: 'salon',
      file: 'lists/l.csv',
      line: 2,
    });
  });

  it('accepts e-mail, organisme and organisation', () => {
    expect(parse('E-mail,Organisme\na@x.ca,Ville\n').recipients[0]!.organization).toBe('Ville');
    expect(parse('email,organisation\na@x.ca,Ville\n').recipients[0]!.organization).toBe('Ville');
  });

  it('reports an unknown column once, with a did-you-mean when close', () => {
    const text = 'email,langage,téléphone\na@x.ca,fr,1\nb@x.ca,en,2\n';
    const { problems, recipients } = parse(text);
    expect(recipients).toHaveLength(2);
    expect(problems).toMatchObject([
      {
        line: 1,
        column: 7,
        severity: 'warning',
        code: 'AIMQ-LIST-COLUMN',
        message: { en: 'unknown column "langage": ignored' },
        hint: { en: 'did you mean "language"?' },
      },
      {
        line: 1,
        column: 15,
        severity: 'warning',
        code: 'AIMQ-LIST-COLUMN',
        message: { en: 'unknown column "téléphone": ignored' },
        hint: { en: expect.stringContaining('known columns: email, name, prénom, language, organization') },
      },
    ]);
  });

  it('prefers courriel to a bare adresse column, and says so', () => {
    const { recipients, problems } = parse('adresse,courriel\n"1 rue X, Montréal",a@x.ca\n');
    expect(recipients[0]!.email).toBe('a@x.ca');
    expect(codes(problems)).toEqual(['1:1 warning AIMQ-LIST-COLUMN']);
  });

  it('is an error at line 1 when there is no email column', () => {
    const { problems, recipients } = parse('nom,langue\nLuc,fr\n');
    expect(recipients).toEqual([]);
    expect(codes(problems)).toEqual(['1:1 error AIMQ-LIST-HEADER']);
    expect(codes(parse('').problems)).toEqual(['1:1 error AIMQ-LIST-HEADER']);
  });

  it('understands language words in French and English', () => {
    expect(
      ['Français', 'francais', 'FR', 'anglais', 'English', 'en', 'Bilingue', 'both', '', ' bilingual '].map(
        parseLanguage,
      ),
    ).toEqual(['fr', 'fr', 'fr', 'en', 'en', 'en', 'bilingual', 'bilingual', 'bilingual', 'bilingual']);
    expect(parseLanguage('klingon')).toBeUndefined();
  });
});

describe('validation', () => {
  const { recipients, problems } = parseListText(fixture('problems.csv'), 'lists/problems.csv');

  it('reports each problem at its line, with the value', () => {
    expect(codes(problems)).toEqual([
      '1:34 warning AIMQ-LIST-COLUMN',
      '1:44 warning AIMQ-LIST-COLUMN',
      '3:1 error AIMQ-LIST-EMAIL',
      '4:1 warning AIMQ-LIST-DUPLICATE',
      '5:28 error AIMQ-LIST-LANGUAGE',
      '6:27 error AIMQ-LIST-CONSENT-DATE',
      '7:30 error AIMQ-LIST-CONSENT-DATE',
      '8:1 error AIMQ-LIST-EMAIL',
    ]);
    expect(problems[0]).toMatchObject({ message: { en: 'unknown column "téléphone": ignored' } });
    expect(problems[1]).toMatchObject({
      message: { en: 'unknown column "langage": ignored' },
      hint: { en: 'did you mean "language"?' },
    });
    expect(en(problems[2]!.message)).toBe('"not-an-address" is not a valid e-mail address');
    expect(en(problems[4]!.message)).toContain('"klingon"');
    expect(en(problems[5]!.message)).toBe('consent date 2024-02-30 does not exist');
    expect(en(problems[6]!.message)).toBe('consent date "15/03/2024" is not an ISO date');
    for (const p of problems) expect(CODES[p.code]).toBeTruthy();
  });

  it('finds duplicates case-insensitively, naming the first line at the later one', () => {
    const dup = problems.find((p) => p.code === 'AIMQ-LIST-DUPLICATE')!;
    expect(dup).toMatchObject({
      file: 'lists/problems.csv',
      line: 4,
      message: { en: '"OK@Example.org" is already on line 2' },
    });
  });

  it('keeps only valid, first-seen lines as recipients', () => {
    expect(recipients.map((r) => `${r.line} ${r.key}`)).toEqual(['2 ok@example.org', '9 w@example.org']);
  });

  it('trims addresses and keeps them as written, with a lower-cased key', () => {
    const r = parse('email\n  Marie.Tremblay@Example.ORG \n').recipients[0]!;
    expect([r.email, r.key]).toEqual(['Marie.Tremblay@Example.ORG', 'marie.tremblay@example.org']);
  });

  it('uses the line where a multi-line record starts, and the line of the field for problems', () => {
    const { recipients, problems } = parse(
      'name,email\n"two\nlines",a@x.ca\n"three\nlines\nhere",bad\n,c@x.ca\n',
    );
    expect(recipients.map((r) => r.line)).toEqual([2, 7]);
    expect(codes(problems)).toEqual(['6:7 error AIMQ-LIST-EMAIL']);
  });

  it('skips empty lines, including lines of empty fields', () => {
    const { recipients, problems } = parse('email;name\n\n;;\n   \na@x.ca;A\n');
    expect(problems).toEqual([]);
    expect(recipients.map((r) => r.line)).toEqual([5]);
  });

  it('reports a quote that is never closed', () => {
    expect(codes(parse('email,name\na@x.ca,"open\nb@x.ca,B\n').problems)).toEqual([
      '2:8 error AIMQ-LIST-CSV',
    ]);
  });
});

/** A gc() function: V8 allows exposing it at run time. */
function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('streaming', () => {
  it('reads 200,000 rows without holding them: heap growth stays well under what holding every row takes', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.csv');
    const rows = 200_000;
    const out = createWriteStream(path);
    out.write('courriel;nom;langue;média;consentement;date du consentement;source du consentement\r\n');
    const source =
      'Signature d’un article publié dans la section Actualités municipales, page « Contact » du média, consultée lors de la mise à jour annuelle de la liste';
    for (let block = 0; block < rows; block += 10_000) {
      let text = '';
      for (let i = block; i < block + 10_000; i++) {
        text += `journaliste.${i}@redaction-${i % 97}.example;"Nom ${i}, Prénom";${['fr', 'en', 'bilingue'][i % 3]};Média régional numéro ${i % 500};implied-published;2024-0${1 + (i % 9)}-1${i % 10};"${source} ${i}"\r\n`;
      }
      if (!out.write(text)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    const gc = gcFunction();
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };

    // Streaming: count rows, sampling the live heap every 20,000 rows.
    let base = heap();
    let count = 0;
    let problems = 0;
    let peak = 0;
    const list = readList(path, 'big.csv');
    for await (const item of list) {
      if (item.problem) problems++;
      if (item.recipient && ++count % 20_000 === 0) peak = Math.max(peak, heap() - base);
    }
    expect(problems).toBe(0);
    expect(count).toBe(rows);
    expect(list.encoding).toBe('utf-8');

    // The same rows, held.
    base = heap();
    const held: Recipient[] = [];
    for await (const item of readList(path, 'big.csv')) if (item.recipient) held.push(item.recipient);
    const holding = heap() - base;
    expect(held).toHaveLength(rows);

    console.log(`streaming peak ${(peak / 1e6).toFixed(1)} MB, holding ${(holding / 1e6).toFixed(1)} MB`);
    // Duplicate detection keeps one short key per address; everything else is let go.
    expect(peak).toBeLessThan(holding / 4);
  });
});

describe('suppression list', () => {
  it('appends durably, with the header first, and returns false for an address already there', () => {
    const path = join(tempDir(), 'lists', 'suppression.csv');
    expect(readSuppression(path).size).toBe(0);
    expect(
      appendSuppression(
        path,
        ' Marie.Tremblay@Example.org ',
        'unsubscribe',
        new Date('2026-12-01T15:04:05.123Z'),
      ),
    ).toBe(true);
    expect(
      appendSuppression(path, 'marie.tremblay@example.org', 'bounce', new Date('2026-12-02T00:00:00Z')),
    ).toBe(false);
    expect(appendSuppression(path, 'luc@x.ca', 'complaint', new Date('2026-12-03T10:00:00Z'))).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(
      'email,date,reason\nMarie.Tremblay@Example.org,2026-12-01T15:04:05Z,unsubscribe\nluc@x.ca,2026-12-03T10:00:00Z,complaint\n',
    );
    expect([...readSuppression(path)]).toEqual([
      ['marie.tremblay@example.org', { date: '2026-12-01T15:04:05Z', reason: 'unsubscribe', line: 2 }],
      ['luc@x.ca', { date: '2026-12-03T10:00:00Z', reason: 'complaint', line: 3 }],
    ]);
  });

  it('keeps a hand-edited file’s delimiter and column order, and adds a missing final line break', () => {
    const path = join(tempDir(), 'suppression.csv');
    writeFileSync(path, cp1252('Motif;Courriel;Date\r\nDésabonnement;a@x.ca;2026-01-01'));
    expect(appendSuppression(path, 'b@x.ca', 'bounce', new Date('2026-02-01T00:00:00Z'))).toBe(true);
    expect(readFileSync(path, 'latin1')).toBe(
      'Motif;Courriel;Date\r\nDésabonnement;a@x.ca;2026-01-01\nbounce;b@x.ca;2026-02-01T00:00:00Z\n',
    );
    expect(readSuppression(path).get('a@x.ca')).toEqual({
      date: '2026-01-01',
      reason: 'unsubscribe',
      line: 2,
    });
    expect(readSuppression(path).get('b@x.ca')?.reason).toBe('bounce');
  });

  it('suppresses every address of a file without a header, whatever the reason says', () => {
    const path = join(tempDir(), 'suppression.csv');
    writeFileSync(path, 'a@x.ca\nB@X.CA,2026-01-01,who knows\n');
    expect([...readSuppression(path).keys()]).toEqual(['a@x.ca', 'b@x.ca']);
    expect(readSuppression(path).get('b@x.ca')?.reason).toBe('manual');
  });

  it('writes the header into an existing empty file', () => {
    const path = join(tempDir(), 'suppression.csv');
    writeFileSync(path, '');
    appendSuppression(path, 'a@x.ca', 'manual', new Date('2026-01-01T00:00:00Z'));
    expect(readFileSync(path, 'utf8')).toBe('email,date,reason\na@x.ca,2026-01-01T00:00:00Z,manual\n');
  });

  it('quotes a field that needs it', () => {
    const path = join(tempDir(), 'suppression.csv');
    appendSuppression(path, 'odd,"address"@x.ca', 'manual', new Date('2026-01-01T00:00:00Z'));
    expect(readFileSync(path, 'utf8')).toBe(
      'email,date,reason\n"odd,""address""@x.ca",2026-01-01T00:00:00Z,manual\n',
    );
    expect(readSuppression(path).has('odd,"address"@x.ca')).toBe(true);
  });

  it('SuppressionWatcher sees an append made after it was created, and a file created later', () => {
    const path = join(tempDir(), 'suppression.csv');
    const watcher = new SuppressionWatcher(path);
    expect(watcher.has('a@x.ca')).toBe(false);
    appendSuppression(path, 'a@x.ca', 'unsubscribe', new Date('2026-01-01T00:00:00Z'));
    expect(watcher.has('A@X.ca')).toBe(true);
    expect(watcher.has('b@x.ca')).toBe(false);
    appendFileSync(path, 'b@x.ca,2026-01-02T00:00:00Z,bounce\n');
    expect(watcher.has('b@x.ca')).toBe(true);
  });
});
