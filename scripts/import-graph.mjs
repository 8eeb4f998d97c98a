#!/usr/bin/env node
/**
 * The folder-level import graph of src/ as a mermaid flowchart, for docs/architecture.md: one node per folder
 * (layers top to bottom), one edge per folder pair that has an import, edges that break a layer rule in red.
 * Usage: node scripts/import-graph.mjs [repo dir, default .]
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(process.argv[2] ?? '.');
const bin = path.join(repo, 'node_modules', '.bin', 'depcruise');
const args = ['src', '--config', '.dependency-cruiser.cjs', '--include-only', '^src', '--output-type', 'json'];
let raw;
try {
  raw = execFileSync(bin, args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
} catch (err) {
  // depcruise exits non-zero when rules are broken; the JSON is still on stdout.
  raw = err.stdout;
}
const result = JSON.parse(raw);

const LAYERS = [
  ['cli', 'server', 'mcp', 'agent', 'lib.ts'],
  ['tools'],
  ['search', 'ingest', 'eval'],
  ['index'],
  ['embed', 'text'],
  ['core', 'config', 'version.ts'],
];
const folder = (file) => file.replace(/^src\//, '').split('/')[0];

const edges = new Map();
for (const m of result.modules) {
  for (const d of m.dependencies) {
    const from = folder(m.source);
    const to = folder(d.resolved);
    if (from === to || !d.resolved.startsWith('src/')) continue;
    const key = `${from}>${to}`;
    const bad = d.valid === false && d.rules.some((r) => r.name !== 'not-to-unresolvable');
    edges.set(key, (edges.get(key) ?? false) || bad);
  }
}

const id = (name) => name.replace('.', '_');
const lines = ['flowchart TB'];
LAYERS.forEach((names, i) => {
  const present = names.filter((n) => result.modules.some((m) => folder(m.source) === n));
  if (present.length === 0) return;
  lines.push(`  subgraph L${i}[" "]`, '    direction LR', ...present.map((n) => `    ${id(n)}[${n}]`), '  end');
});
const sorted = [...edges].sort(([a], [b]) => a.localeCompare(b));
const red = [];
sorted.forEach(([key, bad], i) => {
  const [from, to] = key.split('>');
  lines.push(`  ${id(from)} --> ${id(to)}`);
  if (bad) red.push(i);
});
if (red.length) lines.push(`  linkStyle ${red.join(',')} stroke:#d00,stroke-width:2px`);
const violations = result.summary.violations.filter((v) => v.rule.name !== 'not-to-unresolvable');
process.stdout.write(`${lines.join('\n')}\n`);
process.stderr.write(`${edges.size} folder edges, ${red.length} breaking a rule; ${violations.length} module-level violations\n`);
