import { ACKNOWLEDGEABLE } from '../errors/index.js';
import type { Field } from '../schema/fields.js';

const ACKNOWLEDGE_HINT = {
  fr: 'les codes des avertissements qu’une personne a vérifiés, par exemple `acknowledge: [AIMQ-TRANSLATION-URL]`',
  en: 'the codes of warnings a person has checked, e.g. acknowledge: [AIMQ-TRANSLATION-URL]',
};

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
  date: {
    required: true,
    spec: { kind: 'date' },
    hint: { fr: 'ajoutez `date: AAAA-MM-JJ`', en: 'add date: YYYY-MM-DD' },
  },
  place: {
    required: true,
    spec: { kind: 'string' },
    hint: { fr: 'ajoutez `place: <la ville de la ligne de date>`', en: 'add place: <the dateline city>' },
  },
  embargo: { spec: { kind: 'datetime' } },
  contacts: {
    required: true,
    hint: {
      fr: 'ajoutez au moins une personne-ressource avec son nom (`name`) et son courriel (`email`)',
      en: 'add at least one contact with name and email',
    },
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
          hint: {
            fr: 'décrivez l’image pour les personnes qui ne peuvent pas la voir',
            en: 'describe the image for people who cannot see it',
          },
        },
      },
    },
  },
  tags: { spec: { kind: 'list', items: { kind: 'string' } } },
  acknowledge: {
    hint: ACKNOWLEDGE_HINT,
    spec: { kind: 'list', items: { kind: 'enum', values: ACKNOWLEDGEABLE } },
  },
  dispatch: {
    hint: {
      fr: 'chaque entrée\u00a0: `- at: 2026-12-01T09:00:00-05:00, to: [lists/medias.csv], edition: auto`',
      en: 'each entry: - at: 2026-12-01T09:00:00-05:00, to: [lists/medias.csv], edition: auto',
    },
    spec: {
      kind: 'list',
      items: {
        kind: 'object',
        fields: {
          at: {
            required: true,
            spec: { kind: 'datetime' },
            hint: {
              fr: 'le moment de l’envoi\u00a0: 2026-12-01T09:00:00-05:00, ou 2026-12-01 09:00 dans le fuseau horaire de la configuration',
              en: 'when to send: 2026-12-01T09:00:00-05:00, or 2026-12-01 09:00 in the config time zone',
            },
          },
          to: {
            required: true,
            spec: { kind: 'strings' },
            hint: {
              fr: 'un fichier de liste sous lists/ ou une adresse courriel, ou une liste de ceux-ci',
              en: 'a list file under lists/ or an address, or a list of them',
            },
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
      patternHint: {
        fr: 'utilisez des lettres minuscules, des chiffres et des traits d’union, par exemple aimq-updates-its-mission',
        en: 'use lower-case letters, digits and hyphens, e.g. aimq-updates-its-mission',
      },
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
          hint: { fr: 'décrivez l’image dans cette langue', en: 'describe the image in this language' },
        },
      },
    },
  },
  tags: { spec: { kind: 'list', items: { kind: 'string' } } },
  acknowledge: {
    hint: ACKNOWLEDGE_HINT,
    spec: { kind: 'list', items: { kind: 'enum', values: ACKNOWLEDGEABLE } },
  },
};
