import { existsSync } from 'node:fs';
import * as z from 'zod';
import type { RootSettings } from '../core/types.js';
import { IndexStore } from '../index/store.js';
import { type RemoveRootReport, removeRoot } from '../ingest/remove-root.js';

export type { RemoveRootReport };
import { defineTool } from './tool.js';
import { count } from './count.js';

export interface RootSummary extends RootSettings {
  documents: number;
  /** The folder is not there (unmounted?): its documents stay until it is removed. */
  missing: boolean;
}

export interface ListRootsOutput {
  roots: RootSummary[];
}

export const listRootsTool = defineTool({
  name: 'list_roots',
  title: 'List the collections',
  description:
    'The roots (collections) the archive is built from: name, folder, document count, and their settings (URL template, book title, author). Root names are the first part of every document id and what the `root` filter of search-like tools takes.',
  input: z.object({}).strict(),
  async run(ctx): Promise<ListRootsOutput> {
    // Settings change with every ingest or removal: read them afresh rather than from a long-lived handle.
    const store = await IndexStore.open((await ctx.store()).location);
    try {
      const counts = new Map<string, number>();
      for (const d of await store.listDocuments()) counts.set(d.root, (counts.get(d.root) ?? 0) + 1);
      const roots = (store.settings.roots ?? []).map((r) => ({ ...r, documents: counts.get(r.name) ?? 0, missing: !existsSync(r.path) }));
      return { roots };
    } finally {
      store.close();
    }
  },
  toText(out) {
    if (out.roots.length === 0) return 'No roots yet: ingest a folder first.';
    return out.roots
      .map((r) => {
        const settings = [
          r.book ? `book "${r.book}"` : null,
          r.author ? `author ${r.author}` : null,
          r.publication ? `publication ${r.publication}` : null,
          r.urlTemplate ? `urls ${r.urlTemplate}` : null,
          r.urlAliases?.length ? `also at ${r.urlAliases.join(', ')}` : null,
        ].filter(Boolean);
        return `${r.name}  ${count(r.documents, 'document')}  ${r.path}${r.missing ? '  (missing)' : ''}${settings.length ? `\n  ${settings.join(' · ')}` : ''}`;
      })
      .join('\n');
  },
});

export const removeRootTool = defineTool({
  name: 'remove_root',
  title: 'Remove a collection',
  description: 'Forgets a root and removes all its documents from the index (the files are not touched). Destructive.',
  input: z.object({ name: z.string().min(1).describe('root name, as list_roots shows it') }).strict(),
  destructive: true,
  async run(ctx, input): Promise<RemoveRootReport> {
    return removeRoot((await ctx.store()).location, input.name);
  },
  toText(out) {
    return `removed root "${out.root.name}" (${out.root.path}): ${out.removed} documents left the index; roots now: ${out.remaining.join(', ') || '(none)'}`;
  },
});
