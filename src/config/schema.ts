import type { Field } from '../validate/schema.js';

export const SUPPORTED_LANGUAGES = ['fr', 'en'] as const;

/** The keys of aimq.config.yaml. Sending settings join with the e-mail and sending stages. */
export const CONFIG_FIELDS: Record<string, Field> = {
  organization: {
    required: true,
    spec: {
      kind: 'object',
      fields: {
        name: { required: true, spec: { kind: 'localized' } },
        shortName: { required: true, spec: { kind: 'string' } },
        website: { spec: { kind: 'url' } },
        postalAddress: { spec: { kind: 'string', multiline: true }, hint: 'CASL requires a postal address in every e-mail' },
        boilerplate: { required: true, spec: { kind: 'localized' }, hint: 'the "À propos" / "About" paragraph, in each language' },
      },
    },
  },
  languages: { spec: { kind: 'list', minItems: 1, items: { kind: 'enum', values: SUPPORTED_LANGUAGES } } },
  timeZone: { spec: { kind: 'string' } },
  baseUrl: { required: true, spec: { kind: 'url' }, hint: 'the address where the built site is served, e.g. https://www.example.org/communiques' },
  typography: { spec: { kind: 'object', fields: { fr: { spec: { kind: 'enum', values: ['oqlf', 'compact', 'off'] } } } } },
  frenchCharter: { spec: { kind: 'boolean' }, hint: 'false when the Charter of the French language does not apply to the organisation' },
};
