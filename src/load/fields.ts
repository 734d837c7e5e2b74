import { ACKNOWLEDGEABLE } from '../errors/index.js';
import type { Field } from '../schema/fields.js';

const contactFields = (translation: boolean): Record<string, Field> => ({
  name: { required: !translation, spec: { kind: 'string' } },
  role: { spec: { kind: 'string' } },
  email: { required: !translation, spec: { kind: 'email' } },
  phone: { spec: { kind: 'phone' } },
  kind: { spec: { kind: 'enum', values: ['source', 'information'] } },
});

/** Front matter of the primary edition (release-format.md). */
export const PRIMARY_FIELDS: Record<string, Field> = {
  title: { required: true, spec: { kind: 'string' } },
  subtitle: { spec: { kind: 'string' } },
  date: { required: true, spec: { kind: 'date' }, hint: 'add date: YYYY-MM-DD' },
  place: { required: true, spec: { kind: 'string' }, hint: 'add place: <the dateline city>' },
  embargo: { spec: { kind: 'datetime' } },
  contacts: {
    required: true,
    hint: 'add at least one contact with name and email',
    spec: { kind: 'list', minItems: 1, items: { kind: 'object', fields: contactFields(false) } },
  },
  summary: { spec: { kind: 'string' } },
  image: {
    spec: {
      kind: 'object',
      fields: {
        src: { required: true, spec: { kind: 'string' } },
        alt: {
          required: true,
          missingCode: 'AIMQ-IMAGE-ALT',
          spec: { kind: 'string' },
          hint: 'describe the image for people who cannot see it',
        },
      },
    },
  },
  tags: { spec: { kind: 'list', items: { kind: 'string' } } },
  acknowledge: {
    hint: 'the codes of warnings a person has checked, e.g. acknowledge: [AIMQ-TRANSLATION-URL]',
    spec: { kind: 'list', items: { kind: 'enum', values: ACKNOWLEDGEABLE } },
  },
  dispatch: {
    hint: 'each entry: - at: 2026-12-01T09:00:00-05:00, to: [lists/medias.csv], edition: auto',
    spec: {
      kind: 'list',
      items: {
        kind: 'object',
        fields: {
          at: {
            required: true,
            spec: { kind: 'datetime' },
            hint: 'when to send: 2026-12-01T09:00:00-05:00, or 2026-12-01 09:00 in the config time zone',
          },
          to: {
            required: true,
            spec: { kind: 'strings' },
            hint: 'a list file under lists/ or an address, or a list of them',
          },
          edition: { spec: { kind: 'enum', values: ['auto', 'fr', 'en', 'bilingual'] } },
        },
      },
    },
  },
};

/**
 * Front matter of a translation. Inherited fields (date, embargo, contacts' name, e-mail,
 * phone and kind, image.src, tags) may be repeated but must then agree with the primary.
 */
export const TRANSLATION_FIELDS: Record<string, Field> = {
  title: { required: true, spec: { kind: 'string' } },
  subtitle: { spec: { kind: 'string' } },
  summary: { spec: { kind: 'string' } },
  place: { spec: { kind: 'string' } },
  slug: {
    spec: {
      kind: 'string',
      pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
      patternHint: 'use lower-case letters, digits and hyphens, e.g. aimq-updates-its-mission',
    },
  },
  date: { spec: { kind: 'date' } },
  embargo: { spec: { kind: 'datetime' } },
  contacts: { spec: { kind: 'list', items: { kind: 'object', fields: contactFields(true) } } },
  image: {
    spec: {
      kind: 'object',
      fields: {
        src: { spec: { kind: 'string' } },
        alt: {
          required: true,
          missingCode: 'AIMQ-IMAGE-ALT',
          spec: { kind: 'string' },
          hint: 'describe the image in this language',
        },
      },
    },
  },
  tags: { spec: { kind: 'list', items: { kind: 'string' } } },
  acknowledge: {
    hint: 'the codes of warnings a person has checked, e.g. acknowledge: [AIMQ-TRANSLATION-URL]',
    spec: { kind: 'list', items: { kind: 'enum', values: ACKNOWLEDGEABLE } },
  },
};
