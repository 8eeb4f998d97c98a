import { errorMessage, PriorsError } from '../../core/errors.js';
import { type Converted, type ImportSettings, isoDay, joinUrl } from './common.js';
import type { ExportSource } from './export-source.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import type { ImportedPost } from './write.js';

interface GhostPost {
  id?: string;
  title?: string | null;
  slug?: string | null;
  html?: string | null;
  plaintext?: string | null;
  type?: string | null;
  status?: string | null;
  visibility?: string | null;
  published_at?: string | null;
  created_at?: string | null;
  custom_excerpt?: string | null;
  canonical_url?: string | null;
  author_id?: string | null;
}

interface GhostData {
  posts?: GhostPost[];
  tags?: { id: string; name: string }[];
  posts_tags?: { post_id: string; tag_id: string; sort_order?: number }[];
  users?: { id: string; name: string }[];
  posts_authors?: { post_id: string; author_id: string; sort_order?: number }[];
}

/** Ghost's JSON is `{"db": [{"meta", "data"}]}` (older ones `{"meta", "data"}`): the `data` part, or null. */
function ghostData(json: unknown): GhostData | null {
  const top = json as { db?: { data?: GhostData }[]; data?: GhostData };
  return top?.db?.[0]?.data ?? top?.data ?? null;
}

function related<T extends { post_id: string; sort_order?: number }>(rows: T[] | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of [...(rows ?? [])].sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0)))
    out.set(r.post_id, [...(out.get(r.post_id) ?? []), r]);
  return out;
}

/**
 * A Ghost export (Settings → Labs → Export, a `.json`; or a zip/folder holding it): posts and pages with their
 * HTML, tags and authors in side tables. Pages go under `pages/`. URLs: a post's `canonical_url`, else
 * `<base>/<slug>/` (Ghost's default permalink) when `baseUrl` is given.
 */
export async function convertGhost(source: ExportSource, settings: ImportSettings): Promise<Converted> {
  let data: GhostData | null = null;
  let entry = '';
  for (const name of source.names.filter((n) => n.toLowerCase().endsWith('.json'))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse((await source.read(name)).toString('utf8'));
    } catch (err) {
      if (err instanceof PriorsError) throw err;
      throw new PriorsError(`${source.label}: ${name}: not JSON (${errorMessage(err)})`, 'usage');
    }
    data = ghostData(parsed);
    entry = name;
    if (data) break;
  }
  if (!data || !Array.isArray(data.posts))
    throw new PriorsError(`${source.label}: no Ghost export JSON (with db[0].data.posts) found`, 'usage');

  const tags = new Map((data.tags ?? []).map((t) => [t.id, t.name]));
  const users = new Map((data.users ?? []).map((u) => [u.id, u.name]));
  const postTags = related(data.posts_tags);
  const postAuthors = related(data.posts_authors);
  const posts: ImportedPost[] = [];
  const warnings: string[] = [];
  let skipped = 0;
  for (const [i, p] of data.posts.entries()) {
    const id = String(p.id ?? i);
    const draft = p.status !== 'published';
    if ((draft && !settings.drafts) || (p.type && p.type !== 'post' && p.type !== 'page')) {
      skipped++;
      continue;
    }
    let body: string;
    if (typeof p.html === 'string' && p.html.trim()) body = htmlToMarkdown(p.html);
    else if (typeof p.plaintext === 'string' && p.plaintext.trim()) body = p.plaintext;
    else {
      warnings.push(`${entry}: post ${id} ("${p.title ?? ''}") has no html or plaintext (only a lexical/mobiledoc document); skipped`);
      skipped++;
      continue;
    }
    const slug = p.slug?.trim() || id;
    const authors = (postAuthors.get(id) ?? []).map((a) => users.get(a.author_id)).filter((n): n is string => !!n);
    if (authors.length === 0 && p.author_id && users.has(p.author_id)) authors.push(users.get(p.author_id)!);
    posts.push({
      id,
      slug,
      folder: p.type === 'page' ? 'pages' : undefined,
      frontMatter: {
        title: p.title?.trim() || slug,
        subtitle: p.custom_excerpt?.trim(),
        date: isoDay(p.published_at) ?? isoDay(p.created_at),
        url: p.canonical_url?.trim() || joinUrl(settings.baseUrl, `${slug}/`),
        type: p.type ?? 'post',
        audience: p.visibility ?? undefined,
        // Tags starting with `#` are Ghost's internal ones (for theming), not topics.
        tags: (postTags.get(id) ?? []).map((t) => tags.get(t.tag_id)).filter((n): n is string => !!n && !n.startsWith('#')),
        authors,
        slug,
        ghost_id: id,
        draft: draft ? true : undefined,
      },
      body,
    });
  }
  return { posts, warnings, skipped };
}
