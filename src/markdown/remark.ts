/**
 * remark-parse + remark-gfm, for the few documents markdown-it cannot read their way
 * (see `needsRemark`).
 *
 * They take about 90 ms of CPU to load, in every process and build worker that reads
 * markdown, and most builds never need them. Where Node can `require()` an ES module
 * (20.19+, 22.12+) they load on first use; on older Node, eagerly with this module.
 */
import { createRequire } from 'node:module';
import type { Root } from 'mdast';
import { unified } from 'unified';

type Parse = (markdown: string) => Root;

const canRequireEsm = (process.features as { require_module?: boolean }).require_module === true;

let parse: Parse | undefined = canRequireEsm ? undefined : await importRemark();

async function importRemark(): Promise<Parse> {
  const [remarkParse, remarkGfm] = await Promise.all([import('remark-parse'), import('remark-gfm')]);
  return processorParse(remarkParse.default, remarkGfm.default);
}

function requireRemark(): Parse {
  const require = createRequire(import.meta.url);
  const remarkParse = require('remark-parse') as typeof import('remark-parse');
  const remarkGfm = require('remark-gfm') as typeof import('remark-gfm');
  return processorParse(remarkParse.default, remarkGfm.default);
}

function processorParse(
  remarkParse: typeof import('remark-parse').default,
  remarkGfm: typeof import('remark-gfm').default,
): Parse {
  const processor = unified().use(remarkParse).use(remarkGfm);
  return (markdown) => processor.parse(markdown);
}

/** remark-parse + remark-gfm's tree of `markdown`. */
export function parseWithRemark(markdown: string): Root {
  parse ??= requireRemark();
  return parse(markdown);
}
