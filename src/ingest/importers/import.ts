import path from 'node:path';
import type { ExportFormat, ImportSettings } from './common.js';
import { DEFAULT_EXPORT_LIMITS, type ExportLimits, openExport } from './export-source.js';
import { convertGhost } from './ghost.js';
import { convertSubstack } from './substack.js';
import { convertWordpress } from './wordpress.js';
import { writeImport } from './write.js';

export interface ImportRequest extends ImportSettings {
  format: ExportFormat;
  /** The export: a .zip, an unpacked folder, or the single file (Ghost .json, WordPress .xml). */
  source: string;
  /** Folder the markdown files go to (created if needed); nothing is written outside it. */
  out: string;
  limits?: ExportLimits;
}

export interface ImportReport {
  format: ExportFormat;
  source: string;
  out: string;
  /** Posts and pages converted. */
  imported: number;
  /** Files created or changed; `unchanged` already held exactly this (a re-import). */
  written: number;
  unchanged: number;
  /** Files an earlier import of this format wrote for posts no longer in the export. */
  removed: number;
  skipped: number;
  warnings: string[];
  /** The files, relative to `out`. */
  files: string[];
}

const CONVERTERS = { substack: convertSubstack, ghost: convertGhost, wordpress: convertWordpress } as const;

/**
 * Convert a blog platform's export into markdown files with front matter (title, subtitle or description,
 * date, url, type, tags, …) that `priors ingest` reads, canonical URLs included so citations link to the
 * published post. Idempotent: the same export gives the same files, and a re-import rewrites only what changed.
 */
export async function importExport(req: ImportRequest): Promise<ImportReport> {
  const source = await openExport(req.source, req.limits ?? DEFAULT_EXPORT_LIMITS);
  try {
    const converted = await CONVERTERS[req.format](source, req);
    const written = writeImport(req.out, req.format, converted.posts);
    return {
      format: req.format,
      source: req.source,
      out: path.resolve(req.out),
      imported: converted.posts.length,
      written: written.written,
      unchanged: written.unchanged,
      removed: written.removed,
      skipped: converted.skipped,
      warnings: [...source.warnings, ...converted.warnings],
      files: written.files,
    };
  } finally {
    source.close();
  }
}
