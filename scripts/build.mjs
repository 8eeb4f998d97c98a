// Builds dist/: type declarations from tsc, and the JavaScript with esbuild, in two shapes.
//
// - The CLI program (src/cli/program.ts and every command) as one CommonJS file, dist/cli/program.cjs, which the
//   bin loads through V8's code cache (src/cli/code-cache.ts): Node 20 keeps no compiled code between runs, and
//   compiling zod, Arrow, LanceDB's JS and commander afresh cost each command more than its own work.
//   Dynamic import() boundaries stay lazy inside the file: a command evaluates only what it uses.
// - The bin (src/cli/main.ts), the library entry and the embedding worker as ES modules split into chunks.
//   The bin carries the version, the program's hash and the top-level help text, so `--version` and `--help`
//   load nothing else.
// Why a bundle at all: loading the same code from hundreds of small modules cost priors several times Node's
// own start-up (BENCHMARKS.md, "Cold start").
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { lazyArrowView } from './lib/arrow-view.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});

/**
 * Every tool's input JSON Schema as JSON text, by tool name, derived from its zod schema here once instead of in
 * every process (src/tools/built-schemas.ts): the modules of src/tools/ are bundled (their packages left in
 * node_modules), loaded, and each tool they export is converted by the function the source uses.
 */
async function deriveToolSchemas() {
  const files = readdirSync(path.join(root, 'src', 'tools')).filter((f) => f.endsWith('.ts'));
  const outfile = path.join(dist, 'tool-schemas.tmp.mjs');
  await build({
    stdin: {
      contents: [
        "export { deriveJsonSchema } from './src/tools/tool.ts';",
        ...files.map((f, i) => `export * as m${i} from './src/tools/${f}';`),
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  try {
    const { deriveJsonSchema, ...modules } = await import(pathToFileURL(outfile).href);
    const isTool = (v) => typeof v?.name === 'string' && typeof v.run === 'function' && typeof v.input?._zod === 'object';
    const schemas = {};
    for (const tool of Object.values(modules).flatMap((m) => Object.values(m).filter(isTool))) {
      const json = JSON.stringify(deriveJsonSchema(tool));
      if (schemas[tool.name] !== undefined && schemas[tool.name] !== json) throw new Error(`two tools are named ${tool.name}`);
      schemas[tool.name] = json;
    }
    return schemas;
  } finally {
    rmSync(outfile, { force: true });
  }
}
const toolSchemas = await deriveToolSchemas();

/**
 * Packages only a rare path reaches, through an import() (OpenAI embeddings, the LLM client), kept out of the
 * programs: each is one CommonJS file in chunks/ that a program require()s on first use. Code a command never runs
 * still costs each of its runs, to read and in V8's code cache: openai was a fifth of the search program, ~1 ms of
 * every cold search (a run that does use it loads the file without the code cache, a few ms beside its API calls).
 */
const LAZY_PACKAGES = ['openai'];

/** One Arrow for LanceDB and priors, which LanceDB's modules require lazily (scripts/lib/arrow-view.mjs). */
const arrowView = await lazyArrowView(root);

/** Make one eager `require()` in a dependency's file lazy (`eager` → `lazy`); fails the build when the file changed. */
function requireLazily(b, filter, eager, lazy) {
  b.onLoad({ filter }, (args) => {
    const source = readFileSync(args.path, 'utf8');
    if (!source.includes(eager)) throw new Error(`${args.path}: no "${eager}" to make lazy (the package changed?)`);
    return { contents: source.replace(eager, lazy), loader: 'js' };
  });
}

/** Build-time modules: the version constant, the tools' JSON Schemas, one Arrow for LanceDB and priors, lazy packages. */
function priorsPlugin(buildInfo, lazyPackages = false) {
  return {
    name: 'priors',
    setup(b) {
      // The version is a build-time constant: no package.json read at start-up, and no path to get wrong.
      b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
        contents: `export const VERSION = ${JSON.stringify(version)};`,
        loader: 'ts',
      }));
      b.onLoad({ filter: /[\\/]src[\\/]tools[\\/]built-schemas\.ts$/ }, () => ({
        contents: `export const BUILT_SCHEMAS = ${JSON.stringify(toolSchemas)};`,
        loader: 'ts',
      }));
      if (buildInfo)
        b.onLoad({ filter: /[\\/]src[\\/]cli[\\/]build-info\.ts$/ }, () => ({
          contents: `export const BUILT = ${JSON.stringify(buildInfo)};`,
          loader: 'ts',
        }));
      // zod re-exports all 40-odd locales as a namespace, which no bundler can drop (half of zod's size);
      // priors speaks English only, so the namespace holds `en`, the locale zod configures by default.
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
          ? { path: path.resolve(args.resolveDir, '../locales/en.js'), namespace: 'zod-en' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
        contents: `export { default as en } from ${JSON.stringify(args.path)};`,
        resolveDir: path.dirname(args.path),
      }));
      // Commander requires node:child_process at load, for executable subcommands priors never has; Node compiles
      // that built-in and what it requires (net, dgram, streams) in every command's start-up, so it is required
      // when a subcommand would be spawned instead.
      requireLazily(
        b,
        /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/,
        "const childProcess = require('node:child_process');",
        "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };",
      );
      // LanceDB's index requires its OpenTelemetry module, which requires @opentelemetry/api at load for a function
      // priors never calls (instrumentLanceDbMetrics): evaluating the package cost every command that opens an
      // index ~0.5 ms. It is required when that function first reads it instead.
      requireLazily(
        b,
        /[\\/]node_modules[\\/]@lancedb[\\/]lancedb[\\/]dist[\\/]otel\.js$/,
        'const api_1 = require("@opentelemetry/api");',
        'const api_1 = new Proxy({}, { get: (_, key) => require("@opentelemetry/api")[key] });',
      );
      // LanceDB's loader (NAPI-RS's native.js) first tries a binary beside itself, `./lancedb.<platform>.node`, which
      // in a bundle means beside dist/chunks/, where none ever is: the failed lookup and its error cost every command
      // that opens an index ~0.5 ms. It then reads the platform package's package.json to compare versions, which it
      // acts on only when NAPI_RS_ENFORCE_VERSION_CHECK is set (~0.4 ms): read only then. In a CLI program, the
      // platform package's binary is looked for first where an install of priors (global, a tarball, a clone) keeps
      // it, priors' own node_modules two levels above dist/chunks/, by one existence check, and loaded as require()
      // loads an addon (process.dlopen) without Node's package resolution and path walk (~1 ms of every command that
      // opens an index, on a cold search's critical path); where it is not there (priors a dependency whose packages
      // were hoisted), the package is required by name as before.
      b.onLoad({ filter: /[\\/]node_modules[\\/]@lancedb[\\/]lancedb[\\/]dist[\\/]native\.js$/ }, (args) => {
        let source = readFileSync(args.path, 'utf8');
        const edits = [
          [/return require\('(\.\/lancedb\.[\w-]+\.node)'\);/g, "throw new Error('no $1 beside the bundle');"],
          [
            /require\(('@lancedb\/lancedb-[\w-]+\/package\.json')\)\.version;(\s*if \(bindingPackageVersion !== ('[^']+'))/g,
            'process.env.NAPI_RS_ENFORCE_VERSION_CHECK ? require($1).version : $3;$2',
          ],
          ...(lazyPackages
            ? [
                [
                  /const binding = require\('(@lancedb\/lancedb-([\w-]+))'\);/g,
                  "const binding = requireInstalled('$1', 'lancedb.$2.node');",
                ],
                [
                  /^("use strict";\n)/,
                  `$1function requireInstalled(name, file) {
  const installed = require('node:path').join(__dirname, '..', '..', 'node_modules', name, file);
  if (!require('node:fs').existsSync(installed)) return require(name);
  const addon = { exports: {} };
  process.dlopen(addon, require('node:path').toNamespacedPath(installed));
  return addon.exports;
}
`,
                ],
              ]
            : []),
        ];
        for (const [pattern, replacement] of edits) {
          const edited = source.replace(pattern, replacement);
          if (edited === source) throw new Error(`${args.path}: no ${pattern} to edit (the package changed?)`);
          source = edited;
        }
        return { contents: source, loader: 'js' };
      });
      // A lazy package is a module of its own, which require()s the package's file on first use (at its import()).
      if (lazyPackages) {
        const names = new RegExp(`^(${LAZY_PACKAGES.join('|')})$`);
        b.onResolve({ filter: names }, (args) => ({ path: args.path, namespace: 'lazy-package' }));
        b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
          contents: `export * from 'lazy-package:${args.path}'; export { default } from 'lazy-package:${args.path}';`,
          loader: 'js',
        }));
        b.onResolve({ filter: /^lazy-package:/ }, (args) => ({ path: `./${args.path.slice('lazy-package:'.length)}.cjs`, external: true }));
      }
      arrowView.setup(b);
    },
  };
}

const common = {
  absWorkingDir: root,
  outdir: dist,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  // Readable stack traces without source maps; whitespace and syntax minification alone buy most of the parse time.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  // transformers.js loads onnxruntime-node and its own files at run time and is only ever imported lazily;
  // LanceDB's native binding is a per-platform package. Both stay ordinary node_modules imports.
  external: ['@huggingface/transformers', '@lancedb/lancedb-*', '*.node'],
};

/**
 * esbuild (charset ascii) escapes every string and template it prints, but leaves regular-expression literals and
 * String.raw templates as written, and priors' regexes hold ’ “ — …. One non-ASCII character makes Node decode the
 * whole file to a two-byte string: reading the 1.1 MB search program cost ~1.2 ms more per run. `\\uXXXX` means the
 * same character in a regex, and in a String.raw that is a RegExp source (each of priors'), so the build writes that.
 */
function escapeNonAscii(file) {
  const source = readFileSync(file, 'utf8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the complement of ASCII.
  const ascii = source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== source) writeFileSync(file, ascii);
}
// One bundle per program of src/cli/programs/ (see src/cli/program-of.ts for why several).
const programNames = readdirSync(path.join(root, 'src', 'cli', 'programs')).map((f) => path.basename(f, '.ts'));
const programs = await build({
  ...common,
  // In chunks/ for the files they find relative to themselves: web/ two levels up, the embedding worker beside them.
  entryPoints: Object.fromEntries(programNames.map((name) => [`chunks/cli-${name}`, `src/cli/programs/${name}.ts`])),
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // Modules that find files relative to themselves (web/, the embedding worker) read import.meta.url.
  define: { 'import.meta.url': '__priorsModuleUrl' },
  // import() becomes require(): V8 runs these files as a vm.Script, where Node 20 has no stable import() (and
  // transformers.js ships a CommonJS build for Node beside its ES one).
  supported: { 'dynamic-import': false },
  banner: { js: "var __priorsModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [priorsPlugin(null, true)],
});
for (const name of LAZY_PACKAGES)
  await build({
    ...common,
    stdin: { contents: `export * from '${name}'; export { default } from '${name}';`, resolveDir: root },
    outdir: undefined,
    outfile: path.join(dist, 'chunks', `${name}.cjs`),
    format: 'cjs',
  });
for (const file of readdirSync(path.join(dist, 'chunks'))) if (file.endsWith('.cjs')) escapeNonAscii(path.join(dist, 'chunks', file));
const programFile = (name) => path.join(dist, 'chunks', `cli-${name}.cjs`);
const help = execFileSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(programFile('top'))}).topLevelHelp())`], {
  encoding: 'utf8',
  // A pipe, as commander's 80-column default assumes; and no colour.
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, NO_COLOR: '1' },
});

// Each program is written as the function expression src/cli/code-cache.ts compiles (`asProgram` there): V8 then
// compiles the file's text as read, where wrapping it at run time made a second, concatenated copy of the program's
// megabyte that V8 flattened before compiling, ~0.9 ms of every cold command. (After the help text above: required
// as a module, the file now only evaluates that expression.)
for (const name of programNames)
  writeFileSync(
    programFile(name),
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(programFile(name), 'utf8')}\n})`,
  );

const buildInfo = {
  programs: Object.fromEntries(
    programNames.map((name) => [
      name,
      {
        file: `../chunks/cli-${name}.cjs`,
        hash: createHash('sha256')
          .update(readFileSync(programFile(name)))
          .digest('hex')
          .slice(0, 16),
      },
    ]),
  ),
  help,
};
// The bin alone, without chunks (each module file Node loads costs start-up time), and CommonJS: Node starts
// a CommonJS main module without setting up its ES module loader. dist/cli/package.json says so for dist/cli/.
const bin = await build({
  ...common,
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  format: 'cjs',
  define: { 'import.meta.url': '__priorsModuleUrl' },
  banner: { js: "var __priorsModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [priorsPlugin(buildInfo)],
});
writeFileSync(path.join(dist, 'cli', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

const modules = await build({
  ...common,
  entryPoints: {
    lib: 'src/lib.ts',
    // Beside the chunks (and the program), where pooled-embedder looks for it.
    'chunks/embed-worker': 'src/embed/embed-worker.ts',
  },
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS (LanceDB's JS, gray-matter, …) calls require() for Node built-ins and the externals.
  banner: { js: "import { createRequire as __priorsRequire } from 'node:module'; const require = __priorsRequire(import.meta.url);" },
  plugins: [priorsPlugin(null)],
});
for (const file of Object.keys(modules.metafile.outputs)) if (file.endsWith('.js')) escapeNonAscii(path.join(root, file));

// Modules that find package files relative to themselves (web/, the worker) assume they sit two levels below
// the package root, as in src/<layer>/; in dist that holds for cli/ and chunks/ only.
for (const result of [programs, bin, modules])
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    const depth = path.relative(root, path.resolve(root, file)).split(path.sep).length - 1;
    const relative = Object.keys(out.inputs).filter((i) => /src[\\/](server[\\/]static|embed[\\/]pooled-embedder)\.ts$/.test(i));
    if (relative.length && depth !== 2)
      throw new Error(`${file} bundles ${relative.join(', ')} but is not two levels below the package root`);
  }
chmodSync(path.join(dist, 'cli', 'main.js'), 0o755);
