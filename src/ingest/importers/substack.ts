import { parse } from 'csv-parse/sync';
import { errorMessage, PriorsError } from '../../core/errors.js';
import { type Converted, type ImportSettings, isoDay, joinUrl } from './common.js';
import type { ExportSource } from './export-source.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import type { ImportedPost } from './write.js';

/**
 * A Substack export (Settings → Exports): `posts.csv` with one row per post (`post_id` `<number>.<slug>`,
 * `post_date`, `is_published`, `type` newsletter/podcast/thread, `audience`, `title`, `subtitle`,
 * `podcast_url`) and each post's body as `posts/<post_id>.html`. The export has no site address, so URLs
 * (`<base>/p/<slug>`, Substack's permalink) need `baseUrl`.
 */
export async function convertSubstack(source: ExportSource, settings: ImportSettings): Promise<Converted> {
  const csvName = source.names.filter((n) => n === 'posts.csv' || n.endsWith('/posts.csv')).sort((a, b) => a.length - b.length)[0];
  if (!csvName) throw new PriorsError(`${source.label}: no posts.csv — is this a Substack export?`, 'usage');
  const base = csvName.slice(0, -'posts.csv'.length);
  let rows: Record<string, string>[];
  try {
    rows = parse((await source.read(csvName)).toString('utf8'), {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (err) {
    if (err instanceof PriorsError) throw err;
    throw new PriorsError(`${source.label}: ${csvName}: ${errorMessage(err)}`, 'usage');
  }
  const names = new Set(source.names);
  const posts: ImportedPost[] = [];
  const warnings: string[] = [];
  let skipped = 0;
  for (const [i, row] of rows.entries()) {
    const postId = row.post_id?.trim();
    const line = `${csvName} row ${i + 2}`;
    if (!postId) {
      warnings.push(`${line}: no post_id; skipped`);
      skipped++;
      continue;
    }
    const draft = row.is_published?.trim().toLowerCase() !== 'true';
    if (draft && !settings.drafts) {
      skipped++;
      continue;
    }
    const entry = `${base}posts/${postId}.html`;
    if (!names.has(entry)) {
      warnings.push(`${line}: post ${postId} has no ${entry} in the export; skipped`);
      skipped++;
      continue;
    }
    let html: string;
    try {
      html = (await source.read(entry)).toString('utf8');
    } catch (err) {
      // One bad entry (too large, damaged) costs its post, not the import.
      warnings.push(`${errorMessage(err)}; skipped`);
      skipped++;
      continue;
    }
    // `165344478.how-i-write`: the slug is what follows the numeric id.
    const slug = /^\d+\.(.+)$/.exec(postId)?.[1] ?? postId;
    posts.push({
      id: postId,
      slug,
      frontMatter: {
        title: row.title?.trim() || slug,
        subtitle: row.subtitle?.trim(),
        date: isoDay(row.post_date) ?? isoDay(row.email_sent_at),
        url: joinUrl(settings.baseUrl, `p/${slug}`),
        type: row.type?.trim() || 'newsletter',
        audience: row.audience?.trim(),
        slug,
        post_id: postId,
        podcast_url: row.podcast_url?.trim(),
        draft: draft ? true : undefined,
      },
      body: htmlToMarkdown(html),
    });
  }
  return { posts, warnings, skipped };
}
