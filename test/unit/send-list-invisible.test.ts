import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/cli/report.js';
import { inLang } from '../../src/i18n/text.js';
import { parseListText } from '../../src/lists/read.js';

/**
 * An address pasted from a web page or Word can carry a zero-width space or a BOM: it is
 * invalid, and the message quoted it looking exactly like a valid address, with the hint
 * "write it as name@example.org", which it already seemed to be. The character is now
 * shown (\u200b) and the hint says what it is. An address with accents before the @ gets a
 * hint that says why it is refused.
 */

function problemsOf(csv: string) {
  return parseListText(Buffer.from(csv, 'utf8'), 'lists/medias.csv').problems.filter(
    (p) => p.code === 'AIMQ-LIST-EMAIL',
  );
}

describe('invalid addresses that look valid', () => {
  it('a zero-width space: shown escaped, with a hint naming it', () => {
    const [p] = problemsOf('email;name\n\u200bmarie@exemple.ca;Marie\n');
    const text = formatText([p!], 'en');
    expect(text).toContain(
      'lists/medias.csv:2:1 error: "\\u200bmarie@exemple.ca" is not a valid e-mail address',
    );
    expect(text).toContain('hint: the address holds an invisible character (shown as \\u…)');
    expect(inLang(p!.hint!, 'fr')).toContain('caractère invisible');
  });

  it('a BOM or a soft hyphen inside it, the same', () => {
    for (const c of ['\ufeff', '\u00ad', '\u200e']) {
      const [p] = problemsOf(`email;name\nmarie@exe${c}mple.ca;Marie\n`);
      expect(formatText([p!], 'en')).toContain(
        `"marie@exe\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}mple.ca"`,
      );
    }
  });

  it('accents before the @: the hint says why', () => {
    const [p] = problemsOf('email;name\nélise@exemple.ca;Élise\n');
    expect(inLang(p!.hint!, 'en')).toBe(
      'aimq sends only to addresses whose part before the @ is ASCII (no accents): ask this person for an address without accents',
    );
  });
});
