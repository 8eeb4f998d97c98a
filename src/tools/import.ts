import * as z from 'zod';
import { EXPORT_FORMATS } from '../ingest/importers/common.js';
import type { ImportReport } from '../ingest/importers/import.js';
import { defineTool } from './tool.js';

export type { ImportReport } from '../ingest/importers/import.js';

export const importInput = z
  .object({
    format: z.enum(EXPORT_FORMATS).describe('the platform the export comes from'),
    source: z.string().min(1).max(4096).describe('the export: a .zip, an unpacked folder, or the Ghost .json / WordPress .xml file'),
    out: z.string().min(1).max(4096).describe('folder for the markdown files (created if needed); nothing is written outside it'),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .max(1000)
      .optional()
      .describe(
        "the site's address, e.g. https://www.example.com: URLs for exports that don't carry them (Substack: <base>/p/<slug>; Ghost: <base>/<slug>/)",
      ),
    drafts: z.boolean().default(false).describe('also import drafts and unpublished posts (marked draft: true)'),
  })
  .strict();

/**
 * Importing an export, defined once like every tool (its schema gives the CLI options and validates library
 * calls). Served on the CLI and as a library call only, not over HTTP or MCP and not to an LLM: it reads a
 * local path and writes files where the caller says, which no network caller may ask a server to do.
 */
export const importTool = defineTool({
  name: 'import_export',
  title: 'Import a blog export',
  description:
    'Converts a Substack, Ghost or WordPress export into markdown files with front matter (title, subtitle, date, url, type, tags) for priors ingest.',
  input: importInput,
  async run(_ctx, input): Promise<ImportReport> {
    // The converters' libraries (HTML, zip, CSV, XML) load only when something is imported, not with the library entry.
    const { importExport } = await import('../ingest/importers/import.js');
    return importExport(input);
  },
  toText(r) {
    const parts = [
      `${r.written} written`,
      `${r.unchanged} unchanged`,
      r.removed ? `${r.removed} removed` : null,
      r.skipped ? `${r.skipped} skipped` : null,
    ];
    return [
      `${r.format} export ${r.source} → ${r.out}: ${r.imported} posts (${parts.filter(Boolean).join(', ')})`,
      ...r.warnings.map((w) => `warning: ${w}`),
      `next: priors ingest ${r.out}`,
    ].join('\n');
  },
});
