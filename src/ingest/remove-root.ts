import { NotFoundError } from '../core/errors.js';
import type { RootSettings } from '../core/types.js';
import { IndexWriter } from '../index/writer.js';

export interface RemoveRootReport {
  root: RootSettings;
  /** Documents that left the index with it. */
  removed: number;
  /** Roots the index still remembers. */
  remaining: string[];
}

/**
 * Forget a root and drop its documents, as the index's one writer (under the ingest lock, published in one
 * switch like an ingest batch). With a file's deletion, the only way documents leave the index.
 */
export async function removeRoot(index: string, name: string): Promise<RemoveRootReport> {
  const writer = await IndexWriter.open(index);
  try {
    const settings = writer.currentSettings;
    const roots = settings?.roots ?? [];
    const root = roots.find((r) => r.name === name);
    if (!settings || !root) {
      throw new NotFoundError(
        `no root "${name}" in the index at ${writer.location}; roots: ${roots.map((r) => r.name).join(', ') || '(none)'}`,
      );
    }
    const remaining = roots.filter((r) => r.name !== name);
    await writer.begin({ ...settings, roots: remaining }, { rebuild: false });
    const ids = (await writer.listDocuments()).filter((d) => d.root === name).map((d) => d.doc_id);
    for (let i = 0; i < ids.length; i += 500) await writer.commit({ documents: [], chunks: [], remove: ids.slice(i, i + 500) });
    // A root without documents changes only the settings: publish them all the same.
    if (ids.length === 0) await writer.publish();
    await writer.finish();
    return { root, removed: ids.length, remaining: remaining.map((r) => r.name) };
  } finally {
    writer.close();
  }
}
