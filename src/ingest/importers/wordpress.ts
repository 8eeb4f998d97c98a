import { XMLParser } from 'fast-xml-parser';
import { errorMessage, PriorsError } from '../../core/errors.js';
import { type Converted, type ImportSettings, isoDay } from './common.js';
import type { ExportSource } from './export-source.js';
import { autoParagraphs, htmlToMarkdown } from './html-to-markdown.js';
import type { ImportedPost } from './write.js';

type Text = string | { '#text'?: string } | undefined;

interface WxrCategory {
  '#text'?: string;
  '@_domain'?: string;
  '@_nicename'?: string;
}

interface WxrItem {
  title?: Text;
  link?: Text;
  pubDate?: Text;
  'dc:creator'?: Text;
  'content:encoded'?: Text;
  'excerpt:encoded'?: Text;
  'wp:post_id'?: Text;
  'wp:post_date'?: Text;
  'wp:post_date_gmt'?: Text;
  'wp:post_name'?: Text;
  'wp:status'?: Text;
  'wp:post_type'?: Text;
  category?: (WxrCategory | string)[];
}

interface WxrAuthor {
  'wp:author_login'?: Text;
  'wp:author_display_name'?: Text;
}

function text(v: Text): string {
  if (v === undefined || v === null) return '';
  return (typeof v === 'object' ? (v['#text'] ?? '') : String(v)).trim();
}

/** WordPress shortcodes that wrap content (`[caption]…[/caption]`, `[embed]url[/embed]`) keep their content. */
function stripShortcodes(html: string): string {
  return html.replace(/\[(caption|embed|audio|video)[^\]]*\]([\s\S]*?)\[\/\1\]/g, '$2');
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value as text: a title "2024" or "true" is a title, not a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => name === 'item' || name === 'category' || name === 'wp:author',
});

/**
 * A WordPress export (Tools → Export, WXR: RSS with `wp:` fields), as the `.xml` file or a zip/folder holding it.
 * Posts and pages (under `pages/`) that are published, with their permalink (`<link>`) as URL, post tags as
 * `tags`, categories as `categories`, the author's display name, and the excerpt as `description`.
 */
export async function convertWordpress(source: ExportSource, settings: ImportSettings): Promise<Converted> {
  const entry = source.names.find((n) => n.toLowerCase().endsWith('.xml'));
  if (!entry) throw new PriorsError(`${source.label}: no .xml file — is this a WordPress export (WXR)?`, 'usage');
  let doc: { rss?: { channel?: { item?: WxrItem[]; link?: Text; 'wp:author'?: WxrAuthor[] } } };
  try {
    doc = parser.parse((await source.read(entry)).toString('utf8')) as typeof doc;
  } catch (err) {
    if (err instanceof PriorsError) throw err;
    throw new PriorsError(`${source.label}: ${entry}: not readable XML (${errorMessage(err)})`, 'usage');
  }
  const channel = doc.rss?.channel;
  if (!channel) throw new PriorsError(`${source.label}: ${entry}: no <rss><channel> — is this a WordPress export (WXR)?`, 'usage');
  const displayNames = new Map((channel['wp:author'] ?? []).map((a) => [text(a['wp:author_login']), text(a['wp:author_display_name'])]));
  const posts: ImportedPost[] = [];
  const warnings: string[] = [];
  let skipped = 0;
  for (const [i, item] of (channel.item ?? []).entries()) {
    const type = text(item['wp:post_type']) || 'post';
    const status = text(item['wp:status']) || 'publish';
    const draft = status !== 'publish';
    if ((type !== 'post' && type !== 'page') || (draft && !settings.drafts)) {
      skipped++;
      continue;
    }
    const id = text(item['wp:post_id']) || String(i + 1);
    const link = text(item.link);
    const slug = text(item['wp:post_name']) || /\/([^/?#]+)\/?$/.exec(link)?.[1] || id;
    const html = text(item['content:encoded']);
    if (!html) warnings.push(`${entry}: item ${id} ("${text(item.title)}") has no content; imported with front matter only`);
    const categories = (item.category ?? []).map((c) => (typeof c === 'string' ? { '#text': c } : c));
    const named = (domain: string) =>
      categories
        .filter((c) => c['@_domain'] === domain && c['@_nicename'] !== 'uncategorized')
        .map((c) => text(c['#text']))
        .filter(Boolean);
    const login = text(item['dc:creator']);
    const excerpt = text(item['excerpt:encoded']);
    posts.push({
      id,
      slug,
      folder: type === 'page' ? 'pages' : undefined,
      frontMatter: {
        title: text(item.title) || slug,
        description: excerpt ? htmlToMarkdown(excerpt).replace(/\s+/g, ' ').trim() : undefined,
        date: isoDay(text(item['wp:post_date_gmt'])) ?? isoDay(text(item['wp:post_date'])) ?? isoDay(text(item.pubDate)),
        // A draft's link is `?p=<id>`, not where it will be published.
        url: !draft && /^https?:\/\//.test(link) ? link : null,
        type,
        tags: named('post_tag'),
        categories: named('category'),
        authors: login ? [displayNames.get(login) || login] : [],
        slug,
        wordpress_id: id,
        draft: draft ? true : undefined,
      },
      body: html ? htmlToMarkdown(autoParagraphs(stripShortcodes(html))) : '',
    });
  }
  return { posts, warnings, skipped };
}
