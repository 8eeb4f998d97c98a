import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeSignature } from '../embed/embedder.js';
import { decodeTags } from './rows.js';
import { isLocalLocation, type IndexStore } from './store.js';

export interface IndexStats {
  index: string;
  documents: number;
  chunks: number;
  words: number;
  model: string;
  dimension: number | null;
  chunking: { maxTokens: number; overlapTokens: number } | null;
  sizeBytes: number | null;
  createdAt: string | null;
  lastIngestAt: string | null;
  byType: Record<string, number>;
  byTag: Record<string, number>;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

export async function indexStats(store: IndexStore): Promise<IndexStats> {
  const docs = await store.listDocuments();
  const byType: Record<string, number> = {};
  const byTag: Record<string, number> = {};
  for (const d of docs) {
    byType[d.type] = (byType[d.type] ?? 0) + 1;
    for (const t of decodeTags(d.tags)) byTag[t] = (byTag[t] ?? 0) + 1;
  }
  const settings = store.settings;
  return {
    index: store.location,
    documents: docs.length,
    chunks: await store.countChunks(),
    words: docs.reduce((n, d) => n + d.words, 0),
    model: describeSignature(settings?.embedding ?? null),
    dimension: settings?.embedding?.dimension ?? null,
    chunking: settings?.chunking ?? null,
    sizeBytes: isLocalLocation(store.location) ? folderBytes(store.location) : null,
    createdAt: settings?.createdAt ?? null,
    lastIngestAt: settings?.lastIngestAt ?? null,
    byType,
    byTag,
  };
}
