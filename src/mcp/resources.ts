import path from 'node:path';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Resource } from '@modelcontextprotocol/sdk/types.js';
import { IndexMissingError } from '../core/errors.js';
import { documentText } from '../tools/get-document.js';
import { allDocuments, type DocumentSummary } from '../tools/list-documents.js';
import type { ToolContext } from '../tools/tool.js';
import { INVALID_PARAMS, McpProtocolError, protocolError } from './errors.js';

const PREFIX = 'priors://doc/';
/** `{+docId}` (reserved expansion) lets a docId keep its slashes: priors://doc/posts/2024/a.md. */
export const DOC_URI_TEMPLATE = `${PREFIX}{+docId}`;

/** Completion answers are capped at 100 values by the protocol. */
const MAX_COMPLETIONS = 100;

/** The URI of a document; each path segment is percent-encoded so spaces, `#` and `?` survive. */
export function docUri(docId: string): string {
  return PREFIX + docId.split('/').map(encodeURIComponent).join('/');
}

/** docId of a document URI (the part after priors://doc/, still percent-encoded). */
export function docIdFromUriPart(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new McpProtocolError(INVALID_PARAMS, `not a valid document URI: ${PREFIX}${encoded}`);
  }
}

function mimeType(relPath: string): string {
  return ['.md', '.mdx', '.markdown'].includes(path.extname(relPath).toLowerCase()) ? 'text/markdown' : 'text/plain';
}

function describe(doc: DocumentSummary): string {
  return [doc.date, doc.type, `${doc.words} words`, doc.path].filter(Boolean).join(' · ');
}

/** Documents as resources: listed with title and date, readable as their exact text, docIds completable. */
export function registerDocumentResources(server: McpServer, ctx: ToolContext, schedule: <T>(job: () => Promise<T>) => Promise<T>): void {
  const documents = () => allDocuments(ctx);

  const template = new ResourceTemplate(DOC_URI_TEMPLATE, {
    list: async () => {
      let docs: DocumentSummary[];
      try {
        docs = await documents();
      } catch (err) {
        // No index yet is not a broken server: the list is empty and tool calls say what to run.
        if (err instanceof IndexMissingError) return { resources: [] };
        throw protocolError(err);
      }
      const resources: Resource[] = docs.map((d) => ({
        uri: docUri(d.docId),
        name: d.docId,
        title: d.title ?? d.docId,
        description: describe(d),
        mimeType: mimeType(d.path),
      }));
      return { resources };
    },
    complete: {
      docId: async (value) => {
        const prefix = value.toLowerCase();
        try {
          return (await documents())
            .map((d) => d.docId)
            .filter((id) => id.toLowerCase().startsWith(prefix))
            .sort()
            .slice(0, MAX_COMPLETIONS);
        } catch {
          return [];
        }
      },
    },
  });

  server.registerResource(
    'document',
    template,
    {
      title: 'Document in the archive',
      description:
        "One of the author's documents by its docId (as returned by search or list_documents): its exact, complete text. For long documents prefer the get_document tool, which reads a line range.",
    },
    async (uri, variables) => {
      const raw = variables.docId;
      const docId = docIdFromUriPart(Array.isArray(raw) ? raw.join(',') : (raw ?? ''));
      try {
        return await schedule(async () => {
          const doc = await documentText(ctx, docId);
          return { contents: [{ uri: uri.href, mimeType: mimeType(doc.path), text: doc.text }] };
        });
      } catch (err) {
        throw protocolError(err);
      }
    },
  );
}
