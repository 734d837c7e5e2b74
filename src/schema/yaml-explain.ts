import { CST, Parser, type YAMLError } from 'yaml';
import type { Text } from '../i18n/text.js';

/**
 * What a YAML error really is, for the mistakes people make in front matter and config: the
 * `yaml` package reports some of them where it gave up (the line after an unclosed `[`, the
 * end of the file for an unclosed quote) and in its grammar's words ("Nested mappings are
 * not allowed in compact mappings" for `title: Note: ceci`). Each explanation points at the
 * place to edit and says what to do, in both languages.
 */
export interface YamlExplanation {
  /** Offset in the YAML text of the place to edit. */
  offset: number;
  message: Text;
  hint?: Text;
}

/** Where each quote or bracket that is never closed opens (offsets in the text). */
export interface Unclosed {
  flow: number[];
  quotes: number[];
}

/** Finds the unclosed flow collections and quoted values with the `yaml` package's CST. */
export function findUnclosed(text: string): Unclosed {
  const found: Unclosed = { flow: [], quotes: [] };
  const check = (token: CST.Token | undefined) => {
    if (!token) return;
    if (token.type === 'flow-collection') {
      const closer = token.start.source === '[' ? ']' : '}';
      if (!token.end.some((t) => t.source === closer)) found.flow.push(token.start.offset);
    } else if (token.type === 'double-quoted-scalar') {
      if (!/^"(?:[^"\\]|\\[\s\S])*"$/.test(token.source)) found.quotes.push(token.offset);
    } else if (token.type === 'single-quoted-scalar') {
      if (!/^'(?:[^']|'')*'$/.test(token.source)) found.quotes.push(token.offset);
    }
  };
  try {
    for (const token of new Parser().parse(text)) {
      if (token.type !== 'document') continue;
      CST.visit(token, (item) => {
        check(item.key ?? undefined);
        check(item.value ?? undefined);
      });
    }
  } catch {
    // The CST is only used to explain errors better: the raw errors still stand.
  }
  return found;
}

/** The text of the line that holds `offset`, and where that line starts. */
function lineAt(text: string, offset: number): { start: number; line: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return { start, line: text.slice(start, end < 0 ? text.length : end) };
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

/** At most 40 characters of a source excerpt, on one line. */
function shown(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length <= 40 ? flat : `${flat.slice(0, 39)}…`;
}

const QUOTE_HINT: Text = {
  fr: 'mettez toute la valeur entre guillemets doubles, p. ex. `title: "Note\u00a0: ceci"`, ou remplacez ": " par " — "',
  en: 'put the whole value in double quotes, e.g. title: "Note: ceci", or write " — " instead of ": "',
};

const ALIGN_HINT: Text = {
  fr: 'alignez la ligne sur celles du même niveau, avec des espaces (deux par niveau, p. ex.)',
  en: 'align the line with the others of its level, with spaces (two per level, for instance)',
};

/** A better place and message for `error`, or undefined to keep the package's own. */
export function explainYamlError(
  error: YAMLError,
  text: string,
  unclosed: Unclosed,
): YamlExplanation | undefined {
  const at = error.pos[0];
  const message = error.message;

  // An unclosed [ or {: the package reports the line after it.
  if (/^(?:Flow (?:sequence|map) in block collection|Expected flow (?:sequence|map) to end)/.test(message)) {
    const open = [...unclosed.flow].reverse().find((o) => o <= at);
    if (open !== undefined) {
      const bracket = text[open]!;
      const closer = bracket === '[' ? ']' : '}';
      return {
        offset: open,
        message: {
          fr: `le "${bracket}" ouvert ici n’est jamais fermé par "${closer}"`,
          en: `the "${bracket}" opened here is never closed with "${closer}"`,
        },
        hint: {
          fr: `fermez la liste sur la même ligne, p. ex. \`tags: [a, b]\`, ou mettez la valeur entre guillemets si le "${bracket}" en fait partie`,
          en: `close it on the same line, e.g. tags: [a, b], or quote the value if the "${bracket}" is part of the text`,
        },
      };
    }
  }

  // An unclosed quote: the package reports the end of the file.
  if (/^Missing closing ["']quote/.test(message)) {
    const open = [...unclosed.quotes].reverse().find((o) => o <= at);
    if (open !== undefined) {
      const quote = text[open]!;
      return {
        offset: open,
        message: {
          fr: `le guillemet ${quote} qui ouvre cette valeur n’est jamais fermé\u00a0: YAML lit les lignes suivantes comme la suite de la valeur`,
          en: `the ${quote} that opens this value is never closed: YAML reads the lines after it as part of the value`,
        },
        hint: {
          fr: `fermez-le par un ${quote} à la fin de la valeur`,
          en: `close it with a ${quote} at the end of the value`,
        },
      };
    }
  }

  // Text after a closing quote or bracket: `title: 'L'AIMQ annonce'`, `title: "Le "grand" jour"`,
  // `title: [Communiqué] Nouvelle`.
  if (/^Unexpected scalar at node end/.test(message)) {
    const { start, line } = lineAt(text, at);
    const before = line.slice(0, at - start).trimEnd();
    const closer = before.at(-1);
    const rest = shown(line.slice(at - start));
    if (closer === "'" || closer === '"')
      return {
        offset: at,
        message: {
          fr: `du texte suit le guillemet ${closer} qui ferme la valeur\u00a0: "${rest}" n’en fait pas partie`,
          en: `text follows the ${closer} that closes the value: "${rest}" is not part of it`,
        },
        hint:
          closer === "'"
            ? {
                fr: "dans une valeur entre apostrophes droites, écrivez l’apostrophe ’ (typographique) ou doublez-la ('L''AIMQ'), ou mettez la valeur entre guillemets doubles",
                en: "in a value quoted with ', write the apostrophe as ’ or double it ('L''AIMQ'), or quote the value with double quotes",
              }
            : {
                fr: 'à l’intérieur de la valeur, écrivez les guillemets «\u00a0» ou \\", ou mettez la valeur entre apostrophes droites',
                en: 'inside the value, write quotes as « » or \\", or quote the value with \' instead',
              },
      };
    if (closer === ']' || closer === '}')
      return {
        offset: at,
        message: {
          fr: `du texte suit le "${closer}" qui ferme une liste\u00a0: une valeur qui commence par "[" ou "{" est lue comme une liste`,
          en: `text follows the "${closer}" that closes a list: a value that starts with "[" or "{" is read as a list`,
        },
        hint: {
          fr: 'mettez toute la valeur entre guillemets, p. ex. `title: "[Communiqué] Nouvelle"`',
          en: 'quote the whole value, e.g. title: "[Communiqué] Nouvelle"',
        },
      };
  }

  // `title: Note: ceci` (a colon in an unquoted value), or a line indented more than the key
  // above it, which YAML reads as the rest of that key's value.
  if (/^Nested mappings are not allowed in compact mappings/.test(message)) {
    const { start, line } = lineAt(text, at);
    const rest = line.slice(at - start);
    const colon = /:(?:[ \t]|$)/.exec(rest);
    if (colon)
      return {
        offset: at,
        message: {
          fr: `la valeur "${shown(rest)}" contient ": " sans être entre guillemets\u00a0: YAML y voit une clé suivie de sa valeur`,
          en: `the value "${shown(rest)}" contains ": " without quotes: YAML reads it as a key and its value`,
        },
        hint: QUOTE_HINT,
      };
    const next = nextLine(text, start + line.length + 1);
    if (next && indentOf(next.line) > indentOf(line))
      return {
        offset: next.start + indentOf(next.line),
        message: {
          fr: `cette ligne est plus en retrait que la clé "${shown(line.split(':')[0]!)}" au-dessus d’elle\u00a0: YAML la lit comme la suite de sa valeur`,
          en: `this line is indented more than the key "${shown(line.split(':')[0]!)}" above it: YAML reads it as the rest of its value`,
        },
        hint: ALIGN_HINT,
      };
  }

  // `status:x` (no space after the colon) is a key without a value spilling onto the next line.
  if (/^Implicit keys need to be on a single line/.test(message)) {
    const { start, line } = lineAt(text, at);
    const glued = /^([ \t]*(?:-[ \t]+)?[^\s:#'"][^:\s]*):(?=\S)/.exec(line);
    if (glued && !/:(?:[ \t]|$)/.test(line)) {
      const fixed = `${glued[1]!.trim()}: ${shown(line.slice(glued[0].length))}`;
      return {
        offset: start + glued[0].length,
        message: {
          fr: `il manque une espace après "${glued[1]!.trim()}:"\u00a0: sans elle, YAML ne voit pas de clé`,
          en: `a space is missing after "${glued[1]!.trim()}:": without it, YAML sees no key`,
        },
        hint: { fr: `écrivez \`${fixed}\``, en: `write ${fixed}` },
      };
    }
  }

  // `subtitle: @AIMQ sur les réseaux`, `title: `code``: characters YAML reserves.
  const reserved = /^Plain value cannot start with (?:reserved|directive indicator) character (.)/.exec(
    message,
  );
  if (reserved) {
    const { start, line } = lineAt(text, at);
    const value = shown(line.slice(at - start));
    return {
      offset: at,
      message: {
        fr: `une valeur sans guillemets ne peut pas commencer par "${reserved[1]}" en YAML`,
        en: `a value without quotes cannot start with "${reserved[1]}" in YAML`,
      },
      hint: {
        fr: `mettez la valeur entre guillemets\u00a0: "${value}"`,
        en: `quote the value: "${value}"`,
      },
    };
  }

  // A line that is not a field: text without `key:`, or a list item outside a list.
  if (
    /^(?:Implicit keys need to be on a single line|Implicit map keys need to be followed by map values)/.test(
      message,
    )
  ) {
    const { start, line } = lineAt(text, at);
    const offset = start + /^[ \t]*/.exec(line)![0].length;
    if (/^[ \t]*-(?:[ \t]|$)/.test(line))
      return {
        offset,
        message: {
          fr: 'cet élément de liste n’est sous aucune clé\u00a0: YAML ne sait pas de quel champ il fait partie',
          en: 'this list item is under no key: YAML cannot tell which field it belongs to',
        },
        hint: {
          fr: 'placez-le sous sa clé (`tags:`), en retrait, aligné sur les autres éléments',
          en: 'put it under its key (tags:), indented, aligned with the other items',
        },
      };
    if (!line.includes(':'))
      return {
        offset,
        message: {
          fr: `cette ligne n’est pas un champ "clé: valeur"\u00a0: "${shown(line)}"`,
          en: `this line is not a "key: value" field: "${shown(line)}"`,
        },
        hint: {
          fr: 'ajoutez la clé et ": ", mettez la ligne en retrait pour continuer la valeur du dessus, ou supprimez-la',
          en: 'add the key and ": ", indent the line to continue the value above, or delete it',
        },
      };
  }

  // A list item or a field of a list item out of line with the ones above it.
  if (
    /^(?:Sequence item without - indicator|A block sequence may not be used as an implicit map key|All sequence items must start at the same column)/.test(
      message,
    )
  ) {
    const { start, line } = lineAt(text, at);
    const item = /^ *- /.test(line);
    return {
      offset: start + indentOf(line),
      message: item
        ? {
            fr: 'cet élément de liste n’est pas aligné sur les éléments au-dessus de lui',
            en: 'this list item is not aligned with the items above it',
          }
        : {
            fr: 'cette ligne n’est alignée ni sur les champs de l’élément de liste au-dessus d’elle, ni sur son tiret',
            en: 'this line is aligned neither with the fields of the list item above it nor with its dash',
          },
      hint: item
        ? {
            fr: 'commencez chaque "-" de la liste à la même colonne',
            en: 'start every "-" of the list at the same column',
          }
        : ALIGN_HINT,
    };
  }
  return undefined;
}

/** The next line that is not blank or a comment, from `offset`. */
function nextLine(text: string, offset: number): { start: number; line: string } | undefined {
  let start = offset;
  while (start < text.length) {
    const { line } = lineAt(text, start);
    if (line.trim() !== '' && !line.trim().startsWith('#')) return { start, line };
    start += line.length + 1;
  }
  return undefined;
}
