import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * An esbuild plugin that gives a bundle one Arrow, which LanceDB's modules require lazily: scripts/build.mjs builds
 * priors with it, and bench-startup.ts the LanceDB-alone floor, so that the floor loads LanceDB as priors does.
 *
 * LanceDB require()s Arrow's CommonJS build while priors imports its ES build: bundle one Arrow, not two. Its
 * require()s share one CommonJS module of it: esbuild makes a CommonJS view of an ES module per require() call,
 * copying Arrow's ~150 exports each time (four times in every command that opens an index, ~0.5 ms).
 * Arrow.mjs, not the package's Node entry (Arrow.node.mjs): that one adds Node- and DOM-stream adapters
 * (throughNode, toNodeStream, throughDOM) that neither LanceDB nor priors calls, and loading them loads Node's
 * stream module, ~1.5 ms of every command that opens an index.
 *
 * That CommonJS view evaluates Arrow on first use of one of its exports, not when LanceDB's modules require it:
 * LanceDB's arrow.js re-exports all of Arrow at load (`__exportStar`), which reads only the names (read here, at
 * build time), and every other use is inside functions. A command that only reads never evaluates it
 * (src/index/plain-rows.ts decodes query results with flechette); one that writes (ingest) does.
 */
export async function lazyArrowView(root) {
  const arrow = path.join(root, 'node_modules', 'apache-arrow', 'Arrow.mjs');
  const names = Object.keys(await import(pathToFileURL(arrow).href));
  return {
    name: 'lazy-arrow-view',
    setup(b) {
      b.onResolve({ filter: /^apache-arrow$/ }, (args) =>
        args.kind === 'require-call' ? { path: 'apache-arrow', namespace: 'arrow-cjs' } : { path: arrow },
      );
      b.onLoad({ filter: /.*/, namespace: 'arrow-cjs' }, () => ({
        contents: `let arrow;
const load = () => (arrow ??= require(${JSON.stringify(arrow)}));
const names = ${JSON.stringify(names)};
module.exports = new Proxy({}, {
  get: (_, key) => (key === '__esModule' ? undefined : load()[key]),
  has: (_, key) => names.includes(key),
  ownKeys: () => names,
  getOwnPropertyDescriptor: (_, key) =>
    names.includes(key) ? { enumerable: true, configurable: true, get: () => load()[key] } : undefined,
});`,
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
}
