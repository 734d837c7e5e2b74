/** Whether a release is in the build: public, as an embargo preview (--include-embargoed), or left out. */
export type Visibility = 'public' | 'preview' | 'hidden';

/**
 * Whether an embargo still holds at `now` (ms): from the embargo's instant on, a release
 * reads as released everywhere (page, e-mail, subject), whenever it was written.
 */
export function underEmbargo(embargo: number | undefined, now: number): boolean {
  return embargo !== undefined && embargo > now;
}

export function visibility(embargo: number | undefined, now: number, includeEmbargoed: boolean): Visibility {
  if (!underEmbargo(embargo, now)) return 'public';
  return includeEmbargoed ? 'preview' : 'hidden';
}
