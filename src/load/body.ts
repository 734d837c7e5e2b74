import { dirname, join } from 'node:path';
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Code, Diagnostic } from '../errors/index.js';
import type { Text } from '../i18n/text.js';
import { applyTypography, isLocalReference, LINK_SCHEMES, parseMarkdown } from '../markdown/pipeline.js';
import type { FrenchProfile } from '../markdown/typography.js';
import { excerpt } from '../schema/yaml.js';
import { imageProblem, linkedFileProblem } from './assets.js';
import type { EditionBody } from './release.js';

export interface ParsedBody extends EditionBody {
  tree: Root;
}

export function parseBodies(bodies: readonly EditionBody[]): ParsedBody[] {
  return bodies.map((b) => ({ ...b, tree: parseMarkdown(b.body, b.bodyLine) }));
}

/**
 * The trees every renderer uses: each body's tree with its language's typography applied,
 * once. Checks must have run before: they read the text as the author wrote it.
 */
export function prepareTrees(bodies: readonly ParsedBody[], profile: FrenchProfile): Map<string, Root> {
  return new Map(bodies.map((b) => [b.lang, applyTypography(b.tree, b.lang, profile)]));
}

/**
 * What every command must refuse or flag in a body: images without alternative text or
 * without a file, links to files the release does not publish, and raw HTML. Cheap enough for every build. `root` is the project folder;
 * each body's `file` is relative to it.
 */
export function checkBodyStructure(body: ParsedBody, root: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const at = (
    node: { position?: { start: { line: number; column: number } } },
    severity: 'error' | 'warning',
    code: Code,
    message: Text,
    hint: Text,
  ) =>
    diagnostics.push({
      file: body.file,
      line: node.position?.start.line ?? 1,
      column: node.position?.start.column ?? 1,
      severity,
      code,
      message,
      hint,
    });
  visit(body.tree, (node) => {
    if (node.type === 'html') {
      // A closing tag is the same problem as its opening tag: report it once.
      if (!/^\s*<\//.test(node.value))
        at(
          node,
          'warning',
          'AIMQ-RAW-HTML',
          {
            fr: 'le HTML brut n’est pas permis dans un communiqué et il est retiré de chaque sortie',
            en: 'raw HTML is not allowed in a release and is removed from every output',
          },
          {
            fr: 'écrivez plutôt en markdown\u00a0: **gras**, [lien](https://…), ![texte de remplacement](photo.jpg)',
            en: 'use markdown instead: **bold**, [link](https://…), ![alt text](photo.jpg)',
          },
        );
    } else if ((node.type === 'link' || node.type === 'definition') && droppedScheme(node.url)) {
      const scheme = droppedScheme(node.url)!;
      at(
        node,
        'warning',
        'AIMQ-LINK-REMOVED',
        {
          fr: `le lien "${excerpt(node.url)}" est retiré de chaque sortie\u00a0: les adresses de type ${scheme} ne sont pas permises`,
          en: `link "${excerpt(node.url)}" is removed from every output: ${scheme}: addresses are not allowed`,
        },
        {
          fr: 'donnez une adresse de type https, mailto ou tel',
          en: 'give an https://, mailto: or tel: address',
        },
      );
    } else if ((node.type === 'link' || node.type === 'definition') && isLocalReference(node.url)) {
      // A definition (`[ref]: rapport.pdf`) is checked once, not at each use.
      const problem = linkedFileProblem(join(root, dirname(body.file)), node.url);
      if (problem) at(node, 'error', 'AIMQ-LINK-MISSING', problem.message, problem.hint);
    } else if (node.type === 'image') {
      if (!node.alt?.trim())
        at(
          node,
          'error',
          'AIMQ-IMAGE-ALT',
          {
            fr: `l’image "${node.url}" n’a pas de texte de remplacement`,
            en: `image "${node.url}" has no alternative text`,
          },
          {
            fr: 'écrivez-la ainsi\u00a0: ![description de l’image](fichier.jpg)',
            en: 'write it as ![description of the image](file.jpg)',
          },
        );
      if (isLocalReference(node.url) || /^[a-z]+:/i.test(node.url)) {
        const problem = imageProblem(join(root, dirname(body.file)), safeDecode(node.url));
        if (problem) at(node, 'error', 'AIMQ-IMAGE-MISSING', problem.message, problem.hint);
      }
    }
  });
  return diagnostics;
}

function safeDecode(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

/** The scheme of a link the sanitizer drops (`javascript`, `data`, `ftp`), if it is one. */
function droppedScheme(url: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  return scheme !== undefined && !LINK_SCHEMES.includes(scheme) ? scheme : undefined;
}
