import { defineConfig } from 'vitest/config';

/**
 * Test tiers, by file name: `*.test.ts` is the default tier (unit + integration on the sample corpus,
 * nothing needed beside the clone); `*.archive.test.ts` needs ../shared/data (real archive, SciFact);
 * `*.browser.test.ts` needs /usr/bin/chromium; `*.slow.test.ts` is anything over ~30 s.
 * `vitest run --project <tier>` runs one tier; `vitest run` runs them all (CI).
 */
const TIERS = ['archive', 'browser', 'slow'] as const;

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Keep LanceDB's native INFO/WARN chatter out of test output.
    env: { LANCEDB_LOG: 'error' },
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/remove-temp-dirs.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'default', include: ['tests/**/*.test.ts'], exclude: TIERS.map((t) => `tests/**/*.${t}.test.ts`) },
      },
      ...TIERS.map((name) => ({ extends: true as const, test: { name, include: [`tests/**/*.${name}.test.ts`] } })),
    ],
  },
});
