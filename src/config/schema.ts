import type { Field } from '../schema/fields.js';

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
        postalAddress: {
          spec: { kind: 'string', multiline: true },
          hint: {
            fr: 'la LCAP exige une adresse postale dans chaque courriel',
            en: 'CASL requires a postal address in every e-mail',
          },
        },
        boilerplate: {
          required: true,
          spec: { kind: 'localized' },
          hint: {
            fr: 'le paragraphe «\u00a0À propos\u00a0» / «\u00a0About\u00a0», dans chaque langue',
            en: 'the "À propos" / "About" paragraph, in each language',
          },
        },
      },
    },
  },
  languages: { spec: { kind: 'list', minItems: 1, items: { kind: 'enum', values: SUPPORTED_LANGUAGES } } },
  timeZone: { spec: { kind: 'string' } },
  baseUrl: {
    required: true,
    spec: { kind: 'url' },
    hint: {
      fr: 'l’adresse où le site produit est servi, p. ex. https://www.example.org/communiques',
      en: 'the address where the built site is served, e.g. https://www.example.org/communiques',
    },
  },
  typography: {
    spec: { kind: 'object', fields: { fr: { spec: { kind: 'enum', values: ['oqlf', 'compact', 'off'] } } } },
  },
  frenchCharter: {
    spec: { kind: 'boolean' },
    hint: {
      fr: 'false quand la Charte de la langue française ne s’applique pas à l’organisation',
      en: 'false when the Charter of the French language does not apply to the organisation',
    },
  },
  newsroom: {
    spec: {
      kind: 'object',
      fields: {
        pageSize: {
          spec: {
            kind: 'string',
            pattern: /^\s*[1-9]\d{0,2}\s*$/,
            patternHint: 'a whole number of releases from 1 to 999, e.g. 20',
          },
          hint: {
            fr: 'communiqués sur l’index de chaque langue et sur chaque page d’année ou de sujet (20 par défaut)',
            en: 'releases on the language index and on each page of a year or a topic (default 20)',
          },
        },
        tags: {
          spec: { kind: 'list', items: { kind: 'localized' } },
          hint: {
            fr: 'chaque étiquette dans chaque langue, p. ex. `- { fr: Infrastructures, en: Infrastructure }`',
            en: 'each tag in every language, e.g. - { fr: Infrastructures, en: Infrastructure }',
          },
        },
      },
    },
  },
  smtp: {
    spec: {
      kind: 'object',
      fields: {
        host: { required: true, spec: { kind: 'string' } },
        port: { spec: { kind: 'port' } },
        secure: {
          spec: { kind: 'boolean' },
          hint: {
            fr: 'true pour TLS implicite (port 465)\u00a0; sinon STARTTLS est exigé',
            en: 'true for implicit TLS (port 465); otherwise STARTTLS is required',
          },
        },
        user: { spec: { kind: 'string' } },
        password: { spec: { kind: 'secret', env: 'AIMQ_SMTP_PASSWORD' } },
      },
    },
  },
  inbox: {
    hint: {
      fr: 'la boîte aux lettres qui reçoit les retours, les plaintes et les réponses de désabonnement (aimq inbox sync)',
      en: 'the mailbox that receives bounces, complaints and unsubscribe replies (aimq inbox sync)',
    },
    spec: {
      kind: 'object',
      fields: {
        host: { spec: { kind: 'string' } },
        port: { spec: { kind: 'port' } },
        secure: {
          spec: { kind: 'boolean' },
          hint: {
            fr: 'true pour TLS implicite (port 993)\u00a0; sinon STARTTLS est exigé',
            en: 'true for implicit TLS (port 993); otherwise STARTTLS is required',
          },
        },
        user: { spec: { kind: 'string' } },
        password: { spec: { kind: 'secret', env: 'AIMQ_IMAP_PASSWORD' } },
        folder: {
          spec: { kind: 'string' },
          hint: {
            fr: 'le dossier lu (INBOX par défaut)',
            en: 'the folder read (default INBOX)',
          },
        },
        processedFolder: {
          spec: { kind: 'string' },
          hint: {
            fr: 'où les messages traités sont déplacés (aimq-processed par défaut)',
            en: 'where processed messages are moved (default aimq-processed)',
          },
        },
        softBounces: {
          hint: {
            fr: 'combien de retours temporaires en combien de jours excluent une adresse (3 en 15 par défaut)',
            en: 'how many soft bounces within how many days suppress an address (default 3 in 15)',
          },
          spec: {
            kind: 'object',
            fields: {
              count: { spec: { kind: 'count', max: 1000 } },
              days: { spec: { kind: 'count', max: 3650 } },
            },
          },
        },
      },
    },
  },
  outbox: {
    spec: { kind: 'string' },
    hint: {
      fr: 'où se trouve la boîte d’envoi\u00a0: un fichier SQLite (.aimq/outbox.sqlite par défaut) ou une URL postgres://',
      en: 'where the outbox lives: a SQLite file (default .aimq/outbox.sqlite) or a postgres:// URL',
    },
  },
  dispatch: {
    spec: {
      kind: 'object',
      fields: {
        maxDelay: {
          spec: {
            kind: 'string',
            pattern: /^\s*\d+(\.\d+)?\s*(ms|s|m|min|h|d)?\s*$/i,
            patternHint: 'a duration such as 24h, 90m or 2d',
          },
          hint: {
            fr: 'jusqu’à quel retard un envoi planifié peut encore partir (24h par défaut)',
            en: 'how late a scheduled send may still go out (default 24h)',
          },
        },
      },
    },
  },
  pdf: {
    spec: {
      kind: 'object',
      fields: {
        pageSize: {
          spec: { kind: 'enum', values: ['letter', 'a4'] },
          hint: {
            fr: 'letter (par défaut\u00a0: Canada et États-Unis) ou a4',
            en: 'letter (the default: Canada and the United States) or a4',
          },
        },
        build: {
          spec: { kind: 'boolean' },
          hint: {
            fr: 'true\u00a0: release build imprime aussi chaque page en <slug>.pdf et y met un lien (Chromium requis)',
            en: 'true: release build also prints each page as <slug>.pdf and links it (needs Chromium)',
          },
        },
      },
    },
  },
  email: {
    spec: {
      kind: 'object',
      fields: {
        from: {
          required: true,
          spec: { kind: 'mailbox' },
          hint: {
            fr: 'l’expéditeur, p. ex. `from: "AIMQ <communications@aimq.net>"`',
            en: 'the sender, e.g. from: "AIMQ <communications@aimq.net>"',
          },
        },
        replyTo: { spec: { kind: 'mailbox' } },
        subjectPrefix: { spec: { kind: 'string' } },
        unsubscribe: {
          required: true,
          hint: {
            fr: 'la LCAP et Gmail exigent un moyen de se désabonner\u00a0: `unsubscribe: { mailto: … }`',
            en: 'CASL and Gmail require an unsubscribe mechanism: unsubscribe: { mailto: … }',
          },
          spec: {
            kind: 'object',
            fields: {
              mailto: { required: true, spec: { kind: 'email' } },
              url: {
                spec: {
                  kind: 'string',
                  // https only: RFC 8058 one-click is defined for https alone. Quotes, < > and
                  // spaces would end the <…> of List-Unsubscribe or the href of the footer link.
                  pattern: /^https:\/\/[\p{L}\p{N}.-]+(?::\d{1,5})?(?:[/?#][^\s"<>]*)?$/iu,
                  patternHint:
                    'an https:// address without spaces, quotes or < > (write them %20, %22, %3C, %3E), e.g. https://www.example.org/unsubscribe',
                },
              },
            },
          },
        },
        reason: { spec: { kind: 'localized' } },
        logo: { spec: { kind: 'url' } },
        accentColor: {
          spec: {
            kind: 'string',
            pattern: /^#[0-9a-fA-F]{6}$/,
            patternHint: 'a colour as #RRGGBB, e.g. "#0b4f8a" (quoted)',
          },
        },
        dkim: {
          spec: {
            kind: 'object',
            fields: {
              domainName: {
                required: true,
                spec: {
                  kind: 'string',
                  pattern: /^[a-z0-9.-]+\.[a-z]{2,}$/i,
                  patternHint: 'the signing domain, e.g. aimq.net',
                },
              },
              keySelector: {
                required: true,
                spec: {
                  kind: 'string',
                  pattern: /^[a-z0-9._-]+$/i,
                  patternHint: 'the DNS selector, e.g. aimq2026',
                },
              },
              privateKeyFile: {
                spec: { kind: 'string' },
                hint: {
                  fr: 'un chemin hors du projet\u00a0; ne versionnez jamais la clé',
                  en: 'a path outside the project; never commit the key',
                },
              },
              privateKeyEnv: {
                spec: {
                  kind: 'string',
                  pattern: /^[A-Z_][A-Z0-9_]*$/,
                  patternHint: 'an environment variable name, e.g. AIMQ_DKIM_PRIVATE_KEY',
                },
              },
              privateKey: { spec: { kind: 'secret', env: 'AIMQ_DKIM_PRIVATE_KEY' } },
            },
          },
        },
      },
    },
  },
};
