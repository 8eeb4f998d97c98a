import path from 'node:path';
import type { RootSettings } from '../core/types.js';
import { keySegments, templateShape, urlKey, type LinkMark } from '../text/links.js';
import { plainRows } from './plain-rows.js';
import type { DocumentRow } from './schema.js';
import type { IndexStore, Snapshot } from './store.js';

/**
 * Links between the author's own documents. Each document row stores the links it makes as written; they are
 * resolved here, against the documents the index holds now and the roots' URL templates, so a post that is
 * added, renamed or deleted changes the graph without re-reading the posts that link to it.
 */

/** What the link graph says about a document. */
export interface LinkedDocument {
  docId: string;
  title: string | null;
  date: string | null;
  url: string | null;
  type: string;
  root: string;
}

/**
 * Where a URL leads. `document`: an indexed document. `missing`: the author's own site, shaped like a document
 * URL (a root's URL template could have made it, or another document's URL has its shape), but no indexed
 * document has it — a dead link, or a post that is not in the archive. `site`: the author's own site but not a
 * document page (`/about`, `/subscribe`). `external`: anywhere else.
 */
export type LinkResolution =
  | { status: 'document'; document: LinkedDocument }
  | { status: 'missing' }
  | { status: 'site' }
  | { status: 'external' };

/** The document a relative link is read from (relative paths resolve against its file, `/p/x` against its URL). */
export interface LinkOrigin {
  root: string;
  relPath: string;
  url: string | null;
}

type ResolverRow = Pick<DocumentRow, 'doc_id' | 'root' | 'rel_path' | 'url' | 'title' | 'date' | 'type' | 'extra'>;

/** Substack's internal post URLs: `/i/<post id>/<anchor>` (the numeric prefix of front matter `post_id`). */
const SUBSTACK_ITEM = /^i$/;
const DOCUMENT_FILE = /\.(?:md|markdown|mdx|txt|text)$/i;

function postNumber(extra: string): string | null {
  try {
    const id = (JSON.parse(extra) as Record<string, unknown>)['post_id'];
    const m = typeof id === 'string' || typeof id === 'number' ? /^(\d+)/.exec(String(id)) : null;
    return m?.[1] ?? null;
  } catch {
    return null;
  }
}

function linked(row: ResolverRow): LinkedDocument {
  return { docId: row.doc_id, title: row.title, date: row.date, url: row.url, type: row.type, root: row.root };
}

/**
 * URL → document, for any URL: links stored at ingest, and links in a draft (the `check` tool). Compares URLs in
 * one form (`urlKey`: scheme, `www.`, trailing slash, query and fragment don't matter), so
 * `http://interconnects.ai/p/how-i-write/?utm_source=x` finds the post whose URL is
 * `https://www.interconnects.ai/p/how-i-write`; a sub-page (`/p/slug/comments`) finds its post, and Substack's
 * `/i/<post id>/…` links find the post with that `post_id`.
 */
export class LinkResolver {
  private readonly byKey = new Map<string, LinkedDocument>();
  private readonly byId = new Map<string, LinkedDocument>();
  /** `host/post number` → document (Substack item links). */
  private readonly byPostNumber = new Map<string, LinkedDocument>();
  /** The author's own hosts (without `www.`): those of the roots' URL templates and of the documents' URLs. */
  readonly hosts: ReadonlySet<string>;
  private readonly shapes: { host: string; test: (segments: readonly string[]) => boolean }[] = [];
  /** A root's alias host (`urlAliases`) → the hosts its documents are published under now. */
  private readonly aliases = new Map<string, Set<string>>();

  constructor(rows: readonly ResolverRow[], roots: readonly RootSettings[]) {
    const hosts = new Set<string>();
    const hostsOfRoot = new Map<string, Set<string>>();
    const addHost = (root: string, host: string) => {
      hosts.add(host);
      const own = hostsOfRoot.get(root) ?? new Set<string>();
      own.add(host);
      hostsOfRoot.set(root, own);
    };
    for (const root of roots) {
      const shape = root.urlTemplate ? templateShape(root.urlTemplate) : null;
      if (shape) {
        addHost(root.name, shape.host);
        this.shapes.push(shape);
      }
    }
    const docShapes = new Set<string>();
    for (const row of rows) {
      const doc = linked(row);
      this.byId.set(row.doc_id, doc);
      const key = row.url ? urlKey(row.url) : null;
      if (!key) continue;
      this.byKey.set(key, doc);
      const host = key.split('/')[0] ?? '';
      addHost(row.root, host);
      // Documents without a template (front-matter URLs) lend their shape: same host, first segment and depth.
      const segments = keySegments(key);
      docShapes.add(`${host}|${segments.length}|${segments.length > 1 ? segments[0] : ''}`);
      const n = postNumber(row.extra);
      if (n) this.byPostNumber.set(`${host}/${n}`, doc);
    }
    for (const s of docShapes) {
      const [host = '', depth = '0', first = ''] = s.split('|');
      this.shapes.push({ host, test: (seg) => seg.length === Number(depth) && (first === '' || seg[0] === first) });
    }
    this.hosts = hosts;
    for (const root of roots) {
      for (const alias of root.urlAliases ?? []) {
        // A host that is some root's own stays that root's: an alias never re-routes a live site.
        if (hosts.has(alias)) continue;
        const to = this.aliases.get(alias) ?? new Set<string>();
        for (const host of hostsOfRoot.get(root.name) ?? []) to.add(host);
        this.aliases.set(alias, to);
      }
    }
  }

  /** Where `url` leads; `from` (the linking document) resolves relative links. */
  resolve(url: string, from?: LinkOrigin): LinkResolution {
    const target = url.trim();
    if (!/^(?:https?:)?\/\//i.test(target) && !/^www\./i.test(target)) return this.resolveRelative(target, from);
    const key = urlKey(target);
    if (!key) return { status: 'external' };
    const host = key.split('/')[0] ?? '';
    const segments = keySegments(key);
    const current = this.aliases.get(host);
    if (current) {
      // An old domain of a root: the same path on each host the root publishes under now.
      let found: LinkResolution = { status: 'site' };
      for (const h of current) {
        const r = this.resolveOnHost(h, segments);
        if (r.status === 'document') return r;
        if (r.status === 'missing') found = r;
      }
      return found;
    }
    if (!this.hosts.has(host)) return { status: 'external' };
    return this.resolveOnHost(host, segments);
  }

  /** A path on one of the author's own hosts: a document, a dead document link, or another page of the site. */
  private resolveOnHost(host: string, segments: readonly string[]): LinkResolution {
    // The page itself, else the page it is a part of (`/p/slug/comments`).
    for (let n = segments.length; n > 0; n--) {
      const doc = this.byKey.get([host, ...segments.slice(0, n)].join('/'));
      if (doc) return { status: 'document', document: doc };
    }
    if (segments.length >= 2 && SUBSTACK_ITEM.test(segments[0] ?? '') && /^\d+$/.test(segments[1] ?? '')) {
      const doc = this.byPostNumber.get(`${host}/${segments[1]}`);
      return doc ? { status: 'document', document: doc } : { status: 'missing' };
    }
    const shaped = this.shapes.some((s) => s.host === host && s.test(segments));
    return { status: shaped ? 'missing' : 'site' };
  }

  /** A site-relative link (`/p/slug`) against the linking document's URL, a file path against its file. */
  private resolveRelative(target: string, from: LinkOrigin | undefined): LinkResolution {
    if (!from || /^[a-z][a-z0-9+.-]*:/i.test(target)) return { status: 'external' };
    const file = target.replace(/[?#].*$/, '');
    if (file && DOCUMENT_FILE.test(file)) {
      let rel: string;
      try {
        rel = decodeURI(file);
      } catch {
        rel = file;
      }
      const within = file.startsWith('/') ? rel.replace(/^\/+/, '') : path.posix.join(path.posix.dirname(from.relPath), rel);
      const doc = this.byId.get(`${from.root}/${path.posix.normalize(within)}`);
      return doc ? { status: 'document', document: doc } : { status: 'missing' };
    }
    if (target.startsWith('/') && from.url) {
      try {
        return this.resolve(new URL(target, from.url).href);
      } catch {
        return { status: 'external' };
      }
    }
    return { status: 'external' };
  }

  /** A document by id (the graph's ends). */
  document(docId: string): LinkedDocument | undefined {
    return this.byId.get(docId);
  }
}

/** One link from a document to another indexed document. */
export interface LinkEdge {
  from: string;
  to: string;
  /** Line of the link in the linking document. */
  line: number;
  text: string | null;
  url: string;
}

/** A link to the author's own site that no indexed document answers (see `LinkResolution`). */
export interface DeadLink {
  from: string;
  line: number;
  text: string | null;
  url: string;
}

export interface LinkGraphStats {
  /** Documents in the index. */
  documents: number;
  /** Links the documents make (images left out). */
  links: number;
  /** Links to the author's own document URLs: resolved + missing (+ self links). */
  ownLinks: number;
  /** Links that reach another indexed document. */
  resolved: number;
  /** Distinct documents linked to. */
  targets: number;
  /** Own document URLs no indexed document has. */
  missing: number;
  /** Links of a document to itself (an embed of its own URL): not edges. */
  selfLinks: number;
}

/** The links of every document, resolved: who links to whom, and the own links that lead nowhere. */
export class LinkGraph {
  private readonly out = new Map<string, LinkEdge[]>();
  private readonly in = new Map<string, LinkEdge[]>();
  private readonly dead = new Map<string, DeadLink[]>();
  readonly stats: LinkGraphStats;

  constructor(
    readonly resolver: LinkResolver,
    rows: readonly (ResolverRow & Pick<DocumentRow, 'links'>)[],
  ) {
    const stats: LinkGraphStats = { documents: rows.length, links: 0, ownLinks: 0, resolved: 0, targets: 0, missing: 0, selfLinks: 0 };
    for (const row of rows) {
      const from: LinkOrigin = { root: row.root, relPath: row.rel_path, url: row.url };
      for (const link of parseLinks(row.links)) {
        stats.links++;
        const r = resolver.resolve(link.url, from);
        if (r.status === 'missing') {
          stats.ownLinks++;
          stats.missing++;
          push(this.dead, row.doc_id, { from: row.doc_id, line: link.line, text: link.text, url: link.url });
        } else if (r.status === 'document') {
          stats.ownLinks++;
          if (r.document.docId === row.doc_id) {
            stats.selfLinks++;
            continue;
          }
          stats.resolved++;
          const edge = { from: row.doc_id, to: r.document.docId, line: link.line, text: link.text, url: link.url };
          push(this.out, row.doc_id, edge);
          push(this.in, edge.to, edge);
        }
      }
    }
    stats.targets = this.in.size;
    this.stats = stats;
  }

  /** Links from `docId` to other documents, in the order they appear. */
  linksFrom(docId: string): readonly LinkEdge[] {
    return this.out.get(docId) ?? [];
  }

  /** Links to `docId` from other documents. */
  linksTo(docId: string): readonly LinkEdge[] {
    return this.in.get(docId) ?? [];
  }

  /** Own-site links of `docId` that no indexed document answers. */
  deadLinksOf(docId: string): readonly DeadLink[] {
    return this.dead.get(docId) ?? [];
  }

  /** How many distinct documents link to `docId`. */
  inboundDocuments(docId: string): number {
    return new Set(this.linksTo(docId).map((e) => e.from)).size;
  }

  /** Every linked-to document id. */
  targets(): IterableIterator<string> {
    return this.in.keys();
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function parseLinks(json: string | null | undefined): LinkMark[] {
  if (!json) return [];
  try {
    const links = JSON.parse(json) as unknown;
    return Array.isArray(links) ? (links as LinkMark[]) : [];
  } catch {
    return [];
  }
}

const GRAPH_COLUMNS = ['doc_id', 'root', 'rel_path', 'url', 'title', 'date', 'type', 'extra', 'links'];

async function readGraph(snapshot: Snapshot): Promise<LinkGraph> {
  const rows = await plainRows<ResolverRow & Pick<DocumentRow, 'links'>>((await snapshot.documents()).query().select(GRAPH_COLUMNS));
  return new LinkGraph(new LinkResolver(rows, snapshot.settings.roots ?? []), rows);
}

/** One graph per index snapshot: a long-running server rebuilds it only after an ingest committed something. */
const graphs = new WeakMap<IndexStore, { version: number; graph: Promise<LinkGraph> }>();

/** The link graph of the index as it is now (read once per index version, ~200 documents in a few ms). */
export function loadLinkGraph(store: IndexStore): Promise<LinkGraph> {
  return store.read((s) => {
    const cached = graphs.get(store);
    if (cached?.version === s.metaVersion) return cached.graph;
    const graph = readGraph(s);
    graphs.set(store, { version: s.metaVersion, graph });
    graph.catch(() => graphs.delete(store));
    return graph;
  });
}

/** The URL → document resolver of the index as it is now (for checking links in a draft against the archive). */
export async function loadLinkResolver(store: IndexStore): Promise<LinkResolver> {
  return (await loadLinkGraph(store)).resolver;
}
