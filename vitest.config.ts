import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Keep LanceDB's native INFO/WARN chatter out of test output.
    env: { LANCEDB_LOG: 'error' },
  },
});
