import { parseFile } from './src/ingest/parse.ts';
import { chunkDocument } from './src/ingest/chunk.ts';
import { estimateTokens } from './src/embed/embedder.ts';
const gens: Record<string, (n: number) => string> = {
  indent: (n) => Array.from({length: n}, (_, i) => ' '.repeat(2 * i) + '- item ' + i).join('\n'),
  mixedl: (n) => Array.from({length: n}, (_, i) => '- '.repeat(i+1) + 'x ' + i + '\n' + '  '.repeat(i+1)+ 'cont').join('\n'),
  mixedq: (n) => Array.from({length: n}, (_, i) => '>'.repeat(i+1) + ' q ' + i + '\nlazy').join('\n'),
};
for (const [name, g] of Object.entries(gens)) for (const n of [30, 2000]) {
  const content = '# T\n\nintro para\n\n' + g(n) + '\n\nafter para\n';
  const t = performance.now();
  const d = parseFile({relPath: 'x.md', docId: 'x', content});
  const t2 = performance.now();
  const chunks = chunkDocument(d, { maxTokens: 320, overlapTokens: 40 }, estimateTokens);
  console.log(name, n, content.length, (t2-t).toFixed(0), 'ms parse', (performance.now()-t2).toFixed(0), 'ms chunk', d.blocks.length, chunks.length, d.warnings);
}
