import { createHash } from 'node:crypto';

/**
 * The pages the unsubscribe endpoint answers with: French first, then English (OQLF
 * typography: a narrow no-break space before ? and !, a no-break space before a colon).
 * Nothing on them comes from the request: a page never shows the token, an address or a
 * campaign, so a forged token learns nothing from what it gets back.
 */

const NNBSP = '\u202F';
const NBSP = '\u00A0';

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}' +
  'section+section{border-top:1px solid #ccc;margin-top:2rem;padding-top:1rem}' +
  'button{font:inherit;padding:.5rem 1rem;cursor:pointer}';

/** The Content-Security-Policy of every page: nothing loads, only this inline style applies, forms post here. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export interface PageText {
  title: string;
  paragraphs: string[];
  /** A button that posts to `action` (the confirmation page). */
  button?: string;
}

export interface Page {
  fr: PageText;
  en: PageText;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A page in both languages; `action`: where its buttons post (a relative URL carrying the token). */
export function renderPage(page: Page, action?: string): string {
  const section = (lang: 'fr' | 'en', t: PageText) =>
    [
      `<section lang="${lang}">`,
      `<h${lang === 'fr' ? 1 : 2}>${escapeHtml(t.title)}</h${lang === 'fr' ? 1 : 2}>`,
      ...t.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      ...(t.button && action
        ? [
            `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="confirm" value="1"><button type="submit">${escapeHtml(t.button)}</button></form>`,
          ]
        : []),
      '</section>',
    ].join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="fr">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(`${page.fr.title} / ${page.en.title}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    section('fr', page.fr),
    section('en', page.en),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Who sends: the organisation's name in each language. */
export interface Sender {
  fr: string;
  en: string;
}

export function confirmPage(who: Sender): Page {
  return {
    fr: {
      title: `Vous désabonner${NNBSP}?`,
      paragraphs: [
        `Vous ne recevrez plus les communiqués de ${who.fr} à l’adresse où ce courriel vous a été envoyé.`,
      ],
      button: 'Me désabonner',
    },
    en: {
      title: 'Unsubscribe?',
      paragraphs: [
        `You will no longer receive news releases from ${who.en} at the address this e-mail was sent to.`,
      ],
      button: 'Unsubscribe',
    },
  };
}

export function donePage(who: Sender): Page {
  return {
    fr: {
      title: 'Désabonnement enregistré',
      paragraphs: [`C’est fait${NBSP}: ${who.fr} ne vous écrira plus à cette adresse.`],
    },
    en: {
      title: 'You are unsubscribed',
      paragraphs: [`Done: ${who.en} will no longer write to you at this address.`],
    },
  };
}

export function testPage(): Page {
  return {
    fr: {
      title: 'Lien de test',
      paragraphs: [
        `Ce lien vient d’un envoi de test ou d’une vérification${NNBSP}; rien n’a été enregistré.`,
      ],
      button: 'Essayer le bouton',
    },
    en: {
      title: 'Test link',
      paragraphs: ['This link comes from a test message or a check; nothing was recorded.'],
      button: 'Try the button',
    },
  };
}

/** After the button of a test link (or aimq doctor's POST): it worked, and nobody was unsubscribed. */
export function testDonePage(): Page {
  return {
    fr: {
      title: 'Bouton essayé',
      paragraphs: [
        `Le bouton fonctionne. Ce lien vient d’un envoi de test ou d’une vérification${NBSP}: personne n’a été désabonné.`,
      ],
    },
    en: {
      title: 'Button tried',
      paragraphs: [
        'The button works. This link comes from a test message or a check: nobody was unsubscribed.',
      ],
    },
  };
}

export function invalidPage(mailto: string): Page {
  return {
    fr: {
      title: 'Lien non valide',
      paragraphs: [
        `Ce lien de désabonnement n’est pas valide${NNBSP}; il a peut-être été coupé en le copiant.`,
        `Pour vous désabonner, écrivez à ${mailto}.`,
      ],
    },
    en: {
      title: 'Invalid link',
      paragraphs: [
        'This unsubscribe link is not valid; it may have been cut when it was copied.',
        `To unsubscribe, write to ${mailto}.`,
      ],
    },
  };
}

export function unavailablePage(mailto: string): Page {
  return {
    fr: {
      title: 'Service momentanément indisponible',
      paragraphs: [`Rien n’a été enregistré. Réessayez dans quelques minutes ou écrivez à ${mailto}.`],
    },
    en: {
      title: 'Temporarily unavailable',
      paragraphs: [`Nothing was recorded. Try again in a few minutes, or write to ${mailto}.`],
    },
  };
}

/** Short answers for what is not a page of ours (404, 405, 413, 429). */
export const PLAIN = {
  404: 'Introuvable / Not found\n',
  405: 'Méthode non permise / Method not allowed\n',
  413: 'Requête trop grande / Request too large\n',
  429: 'Trop de requêtes, réessayez plus tard / Too many requests, try again later\n',
} as const;
