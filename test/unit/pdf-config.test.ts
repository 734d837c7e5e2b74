import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { MINIMAL_CONFIG as VALID, problemsOf, where } from '../helpers/config.js';
import { en } from '../helpers/text.js';

/** The `pdf:` key of aimq.config.yaml: Letter and no PDF in builds unless asked. */

describe('pdf: in aimq.config.yaml', () => {
  it('defaults to Letter paper (Canada’s) and no PDF in builds', () => {
    expect(parseConfig(VALID, where).pdf).toEqual({ pageSize: 'letter', build: false });
  });

  it('reads pageSize and build', () => {
    expect(parseConfig(`${VALID}pdf:\n  pageSize: a4\n  build: true\n`, where).pdf).toEqual({
      pageSize: 'a4',
      build: true,
    });
  });

  it('refuses another paper size, with its line and a suggestion', () => {
    const [p, ...rest] = problemsOf(`${VALID}pdf:\n  pageSize: A4\n`);
    expect(rest).toEqual([]);
    expect(p!.code).toBe('AIMQ-CONFIG-FIELD');
    expect(p!.line).toBe(7);
    expect(en(p!.message)).toMatch(/letter, a4/);
    expect(en(p!.hint)).toMatch(/a4/);
  });

  it('refuses an unknown key under pdf:', () => {
    const [p] = problemsOf(`${VALID}pdf:\n  size: a4\n`);
    expect(p!.code).toBe('AIMQ-CONFIG-UNKNOWN');
    expect(p!.line).toBe(7);
  });
});
