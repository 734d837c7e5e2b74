import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // dist/ built from the current sources before any test: e2e tests spawn bin/aimq.js, which runs it.
    globalSetup: ['test/global-setup.ts'],
    // aimq speaks the machine's language (LANG); the tests expect English unless they ask for
    // French (AIMQ_LANG: 'fr', or AIMQ_LANG: '' with a French LANG).
    env: { AIMQ_LANG: 'en' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
