import { UsageError } from '../core/errors.js';
import type { DocumentRow } from '../index/schema.js';
import type { IndexStore } from '../index/store.js';

/** The input fields a `docId:lines` reference fills (the CLI takes them as one argument, not as flags). */
export const DOC_REF_FIELDS = ['docId', 'lineStart', 'lineEnd'] as const;

export interface DocRef {
  docId: string;
  lineStart?: number | undefined;
  lineEnd?: number | undefined;
}

/**
 * `interconnects/public/a.md:12-18` → id + lines, the form every front end prints (`docId:lines`). An id that
 * itself contains ':' still works without a range.
 */
export function parseDocRef(ref: string): DocRef {
  const m = /^(.+?):(\d+)(?:-(\d+))?$/.exec(ref);
  if (!m) return { docId: ref };
  const lineStart = Number(m[2]);
  const lineEnd = m[3] ? Number(m[3]) : lineStart;
  if (lineEnd < lineStart) throw new UsageError(`line range ${m[2]}-${m[3]} ends before it starts`);
  return { docId: m[1] ?? ref, lineStart, lineEnd };
}

/**
 * The document a tool input names: its id, a unique ending of it, or either with `:lines` (explicit
 * lineStart/lineEnd win over the suffix). An id with a colon of its own is tried whole first.
 */
export async function resolveDocRef(
  store: IndexStore,
  input: DocRef,
): Promise<{ doc: DocumentRow; lineStart: number | undefined; lineEnd: number | undefined }> {
  const split = parseDocRef(input.docId);
  if (split.lineStart !== undefined) {
    const [whole] = await store.getDocuments([input.docId]);
    if (!whole) {
      const doc = await store.resolveDocument(split.docId);
      return { doc, lineStart: input.lineStart ?? split.lineStart, lineEnd: input.lineStart !== undefined ? input.lineEnd : split.lineEnd };
    }
  }
  return { doc: await store.resolveDocument(input.docId), lineStart: input.lineStart, lineEnd: input.lineEnd };
}
