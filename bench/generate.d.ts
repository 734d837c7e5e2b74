// Types of bench/generate.js, for the tests that build generated projects.
export function prng(seed: number): () => number;
export const EDIT_SENTENCES: readonly string[];
export function generateProject(
  dir: string,
  count: number,
  options: { configFile: string; seed?: number },
): { folders: string[]; firstDate: string; lastDate: string; wordsPerEdition: number };
