/**
 * The layers of src/, as rules (npm run lint). Imports only point down:
 *
 *   cli, server, mcp, agent   front ends (and lib.ts, the library entry)
 *   tools                     one module per capability (schema tools, ingest, evaluate)
 *   search, ingest, eval      retrieval, the ingest pipeline, retrieval metrics
 *   index                     the LanceDB store (the only importer of @lancedb/lancedb, apache-arrow and flechette)
 *   embed, text               models; text handling (normalisation, quotes, lines, citations)
 *   core, config, version.ts  shared types and errors, settings; importable from anywhere
 *
 * See docs/architecture.md.
 */
const FRONT = 'cli|server|mcp|agent';
const layer = (names) => `^src/(${names})/`;

/** Each layer and what it may not import: everything above it (and, for the lowest, each other). */
const LAYERS = [
  { name: 'tools', from: 'tools', forbidden: FRONT },
  { name: 'search-ingest-eval', from: 'search|ingest|eval', forbidden: `tools|${FRONT}` },
  { name: 'index', from: 'index', forbidden: `search|ingest|eval|tools|${FRONT}` },
  { name: 'embed', from: 'embed', forbidden: `text|index|search|ingest|eval|tools|${FRONT}` },
  { name: 'text', from: 'text', forbidden: `embed|index|search|ingest|eval|tools|${FRONT}` },
  { name: 'config', from: 'config', forbidden: `text|embed|index|search|ingest|eval|tools|${FRONT}` },
  { name: 'core', from: 'core', forbidden: `config|text|embed|index|search|ingest|eval|tools|${FRONT}` },
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not depend on each other in a cycle (type-only imports included).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'front-ends-through-tools',
      severity: 'error',
      comment: 'CLI, HTTP, MCP and the agent reach the core only through src/tools (and core, config, version).',
      from: { path: layer(FRONT) },
      to: { path: layer('search|ingest|eval|index|embed|text') },
    },
    {
      name: 'library-through-tools',
      severity: 'error',
      comment: 'The library entry (src/lib.ts) offers the tools, like every other front end.',
      from: { path: '^src/lib\\.ts$' },
      to: { path: layer('search|ingest|eval|index|embed|text') },
    },
    {
      name: 'nothing-imports-the-library-entry',
      severity: 'error',
      comment: 'src/lib.ts is the package entry for other programs; priors itself never imports it.',
      from: { path: '^src/', pathNot: '^src/lib\\.ts$' },
      to: { path: '^src/lib\\.ts$' },
    },
    ...LAYERS.map((l) => ({
      name: `no-upward-from-${l.name}`,
      severity: 'error',
      comment: `src/${l.from.split('|').join(', src/')} must not import layers above it.`,
      from: { path: layer(l.from) },
      to: { path: layer(l.forbidden) },
    })),
    {
      name: 'version-is-a-leaf',
      severity: 'error',
      comment: 'version.ts is importable from anywhere, so it imports nothing of priors.',
      from: { path: '^src/version\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'only-index-touches-lancedb',
      severity: 'error',
      comment:
        'Only src/index speaks LanceDB and Arrow (apache-arrow, flechette); everything else goes through IndexStore and index/ functions.',
      from: { path: '^src/', pathNot: '^src/index/' },
      to: { path: '(^|/)node_modules/(@lancedb/lancedb|apache-arrow|@uwdata/flechette)/' },
    },
    {
      name: 'no-dev-deps-in-src',
      severity: 'error',
      comment: 'What ships must not need a devDependency.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      archi: { collapsePattern: '^src/[^/]+' },
      text: { highlightFocused: true },
    },
  },
};
