// Eleventy 3 configuration for the build benchmark (bench/build.js): the same generated
// releases (releases/<folder>/{fr,en}.md) as aimq builds, each made into a page with a
// layout equivalent to aimq's release page (_includes/release.liquid). The body is plain
// markdown (markdownTemplateEngine: false), as in aimq, where `{{` in a release is text.
//
// bench/build.js runs it as `eleventy --config=<this file> --input=<project>/releases
// --output=<out>`; Eleventy wants the includes folder relative to the input folder, so
// the benchmark passes the input folder in AIMQ_BENCH_ELEVENTY_INPUT.

import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const input = process.env.AIMQ_BENCH_ELEVENTY_INPUT;
if (!input) throw new Error('AIMQ_BENCH_ELEVENTY_INPUT: the input folder is required');

export default function (eleventyConfig) {
  eleventyConfig.addGlobalData('layout', 'release.liquid');
  eleventyConfig.addGlobalData('eleventyComputed', {
    // fr.md → fr: the page's language, as aimq takes it from the file name.
    lang: (data) => data.page.fileSlug,
    other: (data) => (data.page.fileSlug === 'fr' ? 'en' : 'fr'),
    otherUrl: (data) => data.page.url.replace(/\/(fr|en)\/$/, (_, l) => (l === 'fr' ? '/en/' : '/fr/')),
  });
}

export const config = {
  markdownTemplateEngine: false,
  htmlTemplateEngine: 'liquid',
  dir: { includes: relative(input, join(here, '_includes')) },
};
