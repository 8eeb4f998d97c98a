import * as z from 'zod';
import { type IndexStats, indexStats } from '../index/stats.js';
import { defineTool } from './tool.js';

export const statsInput = z.object({}).strict();

export type StatsOutput = IndexStats;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export const statsTool = defineTool({
  name: 'stats',
  title: 'Index statistics',
  description:
    'What the archive holds: documents (by type and tag), chunks, words, the embedding model, chunking, size on disk and when it was last ingested. Use to check that the index exists and how large and fresh it is.',
  input: statsInput,
  // The index alone: stats never wait for the embedding model.
  async run(ctx): Promise<StatsOutput> {
    return indexStats(await ctx.store());
  },
  toText(s) {
    const types = Object.entries(s.byType)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ');
    return [
      `index       ${s.index}`,
      `documents   ${s.documents} (${types})`,
      `chunks      ${s.chunks}`,
      `words       ${s.words.toLocaleString('en-US')}`,
      `model       ${s.model}`,
      s.chunking ? `chunking    ${s.chunking.maxTokens} tokens, ${s.chunking.overlapTokens} overlap` : null,
      s.sizeBytes !== null ? `size        ${formatBytes(s.sizeBytes)}` : null,
      `last ingest ${s.lastIngestAt ?? 'never'}`,
    ]
      .filter((l) => l !== null)
      .join('\n');
  },
});
