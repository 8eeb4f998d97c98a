// Builds dist/: type declarations from tsc, and the JavaScript as an esbuild bundle split per command.
// Why a bundle: loading the same code from hundreds of small ES modules (zod, Arrow, LanceDB's JS, commander,
// the tools) cost priors several times Node's own start-up; one file per entry plus lazily loaded chunks does
// not (BENCHMARKS.md, "Cold start"). Dynamic import() boundaries stay chunk boundaries, so a command still
// loads only what it uses.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    'cli/main': 'src/cli/main.ts',
    lib: 'src/lib.ts',
    // Beside the chunks, where pooled-embedder (itself in a chunk) looks for it.
    'chunks/embed-worker': 'src/embed/embed-worker.ts',
  },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  // Readable stack traces without source maps; whitespace and syntax minification alone buy most of the parse time.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  // transformers.js loads onnxruntime-node and its own files at run time and is only ever imported lazily;
  // LanceDB's native binding is a per-platform package. Both stay ordinary node_modules imports.
  external: ['@huggingface/transformers', '@lancedb/lancedb-*', '*.node'],
  // Bundled CommonJS (LanceDB's JS, gray-matter, …) calls require() for Node built-ins and the externals.
  banner: { js: "import { createRequire as __priorsRequire } from 'node:module'; const require = __priorsRequire(import.meta.url);" },
  plugins: [
    {
      name: 'priors',
      setup(b) {
        // The version is a build-time constant: no package.json read at start-up, and no path to get wrong.
        b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
          contents: `export const VERSION = ${JSON.stringify(version)};`,
          loader: 'ts',
        }));
        // LanceDB require()s Arrow's CommonJS build while priors imports its ES build: bundle one Arrow, not two.
        const arrow = path.join(root, 'node_modules', 'apache-arrow', 'Arrow.node.mjs');
        b.onResolve({ filter: /^apache-arrow$/ }, () => ({ path: arrow }));
      },
    },
  ],
});

// Modules that find package files relative to themselves (web/, the worker) assume they sit two levels below
// the package root, as in src/<layer>/; in dist that holds for cli/ and chunks/ only.
for (const [file, out] of Object.entries(result.metafile.outputs)) {
  const depth = path.relative(root, path.resolve(root, file)).split(path.sep).length - 1;
  const relative = Object.keys(out.inputs).filter((i) => /src[\\/](server[\\/]static|embed[\\/]pooled-embedder)\.ts$/.test(i));
  if (relative.length && depth !== 2)
    throw new Error(`${file} bundles ${relative.join(', ')} but is not two levels below the package root`);
}
chmodSync(path.join(dist, 'cli', 'main.js'), 0o755);
