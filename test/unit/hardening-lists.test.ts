import { en } from '../helpers/text.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvParser, excerpt, MAX_RECORD_CHARS, parseCsv } from '../../src/lists/csv.js';
import { ListDecoder, MAX_HELD_LINE_BYTES } from '../../src/lists/encoding.js';
import { parseListText, readList } from '../../src/lists/read.js';
import type { ListItem } from '../../src/lists/recipient.js';
import { tempDir } from '../helpers/cli.js';

const CHUNK = 64 * 1024;

/** Feeds bytes to a decoder in chunks, as readList does, and keeps what each push returned. */
function decodeInChunks(bytes: Uint8Array, size = CHUNK) {
  const d = new ListDecoder();
  const perPush: string[] = [];
  for (let i = 0; i < bytes.length; i += size)
    perPush.push(
      d
        .push(bytes.subarray(i, i + size))
        .map((t) => t.text)
        .join(''),
    );
  const last = d
    .end()
    .map((t) => t.text)
    .join('');
  return { text: perPush.join('') + last, perPush, decoder: d };
}

describe('a very long line (#11.6)', () => {
  it('is decoded as it comes once it passes the held-line limit, whole characters only', () => {
    // é is two bytes: with a 64 KiB + 1 prefix, chunk boundaries fall inside it.
    const line = `x${'é'.repeat(300_000)}`;
    const bytes = Buffer.from(`email\n${line}\nok@example.org\n`);
    const { text, perPush, decoder } = decodeInChunks(bytes);
    expect(text).toBe(`email\n${line}\nok@example.org\n`);
    expect(decoder.encoding).toBe('utf-8');
    // Before the fix, nothing came out until the line ended: every byte was held.
    const beforeEnd = perPush.slice(1, -1);
    expect(beforeEnd.length).toBeGreaterThan(3);
    for (const out of beforeEnd) expect(out.length).toBeGreaterThan(0);
    expect(MAX_HELD_LINE_BYTES).toBe(64 * 1024);
  });

  it('still switches a long line that is not UTF-8 to Windows-1252', () => {
    const bytes = Buffer.concat([Buffer.from('email\n'), Buffer.alloc(200_000, 0xe9), Buffer.from('\n')]);
    const { text, decoder } = decodeInChunks(bytes);
    expect(decoder.encoding).toBe('windows-1252');
    expect(text).toBe(`email\n${'é'.repeat(200_000)}\n`);
  });

  it('makes the CSV parser flag the record as too long, keep none of its fields, and read on', () => {
    const long = 'a'.repeat(MAX_RECORD_CHARS + 10);
    const text = `email,name\n${long},b\nok@example.org,"Ok"\n`;
    for (const size of [text.length, 1000, 7]) {
      const parser = new CsvParser();
      const records = [];
      for (let i = 0; i < text.length; i += size) records.push(...parser.push(text.slice(i, i + size)));
      records.push(...parser.end());
      expect(records.map((r) => [r.line, r.fields, r.tooLong?.excerpt])).toEqual([
        [1, ['email', 'name'], undefined],
        [2, [], `${'a'.repeat(60)}…`],
        [3, ['ok@example.org', 'Ok'], undefined],
      ]);
    }
  });

  it('keeps a record of exactly the limit', () => {
    const field = 'a'.repeat(MAX_RECORD_CHARS);
    const { records } = parseCsv(`email\n${field}\n`);
    expect(records[1]!.fields).toEqual([field]);
    expect(records[1]!.tooLong).toBeUndefined();
  });

  it('is one error naming file:line with a short excerpt, and the next lines are read', () => {
    const big = `email,name\n${'a'.repeat(20 * 1024 * 1024)},x\nok@example.org,Ok\n`;
    const { recipients, problems } = parseListText(Buffer.from(big), 'lists/big.csv');
    expect(recipients.map((r) => r.email)).toEqual(['ok@example.org']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'lists/big.csv', line: 2, column: 1, code: 'AIMQ-LIST-CSV' });
    expect(en(problems[0]!.message)).toContain(`"${'a'.repeat(60)}…"`);
    expect(en(problems[0]!.message).length).toBeLessThan(200);
  });

  it('streamed from a file in 64 KB chunks, many quotes and all, gives the same one error', async () => {
    const path = join(tempDir(), 'quotes.csv');
    // A quote inside an unquoted field is a quote: each one once made the parser copy the field so far.
    writeFileSync(path, `email;nom\n${'ab"'.repeat(3_000_000)};x\nok@example.org;Ok\n`);
    const items: ListItem[] = [];
    for await (const item of readList(path, 'quotes.csv')) items.push(item);
    expect(items.filter((i) => i.problem).map((i) => [i.problem!.line, i.problem!.code])).toEqual([
      [2, 'AIMQ-LIST-CSV'],
    ]);
    expect(items.filter((i) => i.rejected)).toHaveLength(1);
    expect(items.flatMap((i) => (i.recipient ? [i.recipient.email] : []))).toEqual(['ok@example.org']);
  });

  it('as the header line, refuses the list: no columns to read the rest by', async () => {
    const path = join(tempDir(), 'header.csv');
    writeFileSync(path, `${'email,'.repeat(2_000_000)}\nok@example.org\n`);
    const items: ListItem[] = [];
    for await (const item of readList(path, 'header.csv')) items.push(item);
    expect(items.map((i) => [i.problem?.line, i.problem?.code, i.problem?.severity])).toEqual([
      [1, 'AIMQ-LIST-CSV', 'error'],
    ]);
  });

  it('a quote never closed over a long rest of file is reported where the quote opens', () => {
    const text = `email,name\nok@example.org,"Ok\n${'more text\n'.repeat(20_000)}`;
    const { problems, recipients } = parseListText(Buffer.from(text), 'l.csv');
    expect(recipients).toEqual([]);
    expect(problems.map((p) => [p.line, p.column, p.code, en(p.message).length < 200])).toEqual([
      [2, 16, 'AIMQ-LIST-CSV', true],
    ]);
    expect(en(problems[0]!.message)).toContain('never closed');
  });
});

describe('diagnostics quote a short excerpt of a value (#11.6)', () => {
  it('cuts a value at 60 characters and adds …, without splitting a surrogate pair', () => {
    expect(excerpt('short')).toBe('short');
    expect(excerpt('a'.repeat(60))).toBe('a'.repeat(60));
    expect(excerpt('a'.repeat(61))).toBe(`${'a'.repeat(60)}…`);
    expect(excerpt(`${'a'.repeat(59)}😀b`)).toBe(`${'a'.repeat(59)}…`);
  });

  it('an invalid address, language, consent date or column name is quoted cut short', () => {
    const long = 'x'.repeat(5000);
    const text = `email,language,consent_date,${long}\n${long}@,${long},${long}\n`;
    const { problems } = parseListText(Buffer.from(text), 'l.csv');
    expect(problems.map((p) => p.code)).toEqual([
      'AIMQ-LIST-COLUMN',
      'AIMQ-LIST-EMAIL',
      'AIMQ-LIST-LANGUAGE',
      'AIMQ-LIST-CONSENT-DATE',
    ]);
    for (const p of problems) {
      expect(en(p.message).length).toBeLessThan(150);
      expect(en(p.message)).toContain(`${'x'.repeat(60)}…`);
    }
  });

  it('a header without an email column lists its columns cut short, ten at most', () => {
    const names = Array.from({ length: 30 }, (_, i) => `${'c'.repeat(100)}${i}`);
    const { problems } = parseListText(Buffer.from(`${names.join(',')}\nx\n`), 'l.csv');
    const header = problems.find((p) => p.code === 'AIMQ-LIST-HEADER')!;
    expect(en(header.message).length).toBeLessThan(1000);
    expect(en(header.message)).toContain('… 30 in all');
  });
});
