/**
 * remark-parse + remark-gfm: the one markdown parser. Everything downstream (typography,
 * checks, remark-rehype, the plain text) reads the mdast it builds.
 */
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkGfm);

/** remark-parse + remark-gfm's tree of `markdown`. */
export function parseWithRemark(markdown: string): Root {
  return processor.parse(markdown);
}
