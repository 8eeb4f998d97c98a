/**
 * Runs the bundled startup-floor.ts as the bin runs a program: through src/cli/code-cache.ts, whose cache the
 * first (untimed) run writes. Usage: node startup-floor-run.cjs <bundle> <cache dir> <index> <table> <query>
 */
import { loadWithCodeCache } from '../../src/cli/code-cache.js';

const [bundle, cacheDir, index, table, query] = process.argv.slice(2);
if (!bundle || !cacheDir || !index || !table || !query)
  throw new Error('usage: startup-floor-run <bundle> <cache dir> <index> <table> <query>');
const loaded = loadWithCodeCache(bundle, { dir: cacheDir, name: 'floor', build: 'bench', variant: 'search' });
// CommonJS, as the bin: no top-level await.
void (loaded.exports as typeof import('./startup-floor.js')).run(index, table, query).then(() => loaded.save());
