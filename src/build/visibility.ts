/** Whether a release is in the build: public, as an embargo preview (--include-embargoed), or left out. */
export type Visibility = 'public' | 'preview' | 'hidden';

export function visibility(embargo: number | undefined, now: number, includeEmbargoed: boolean): Visibility {
  if (embargo === undefined || embargo <= now) return 'public';
  return includeEmbargoed ? 'preview' : 'hidden';
}
