/**
 * Every subcommand's one-line summary and usage term, in the order `priors --help` lists them. The command
 * modules take their description from here, and `priors --help` prints this table without importing any
 * of them (importing them all costs several times Node's own start-up).
 */
export const COMMAND_SUMMARIES = {
  ingest: {
    term: 'ingest [options] [paths...]',
    summary: 'index a folder of writing (markdown, transcripts, captions, JSONL, text); re-runs only do what changed',
  },
  import: {
    term: 'import [options] <format> <export>',
    summary: 'turn a Substack, Ghost or WordPress export into markdown files (with URLs) that ingest reads',
  },
  stats: { term: 'stats [options]', summary: 'documents, chunks, words, model and size of an index' },
  roots: { term: 'roots [options] [list|remove <name>]', summary: 'the roots (collections) the index remembers: list them, or remove one' },
  ask: {
    term: 'ask [options] <question...>',
    summary: 'prior writing on a topic: documents with their best verbatim passages and citations',
  },
  search: { term: 'search [options] [query...]', summary: 'ranked verbatim passages for a query (hybrid keyword + meaning search)' },
  quote: {
    term: 'quote [options] <text...>',
    summary:
      'find where a (possibly misremembered) quote comes from and who said it: VERIFIED (also WITH ELISIONS), CLOSE, PARAPHRASE or NOT FOUND',
  },
  cite: {
    term: 'cite [options] [ref]',
    summary: 'a ready-to-paste citation with the exact quoted lines, or of just the sentence you quote',
  },
  related: { term: 'related [options] <draft>', summary: 'prior writing related to a draft, with the passages that connect them' },
  check: {
    term: 'check [options] <draft>',
    summary: 'check a draft against the archive: related writing, own work named, quotes, repeated sentences, links to add',
  },
  timeline: {
    term: 'timeline [options] <topic...>',
    summary: "how the archive's treatment of a topic changed: one passage per document, oldest first",
  },
  links: {
    term: 'links [options] [topic...]',
    summary: "the author's most-linked documents (their own posts linking to each other), on a topic or overall",
  },
  list: { term: 'list [options]', summary: 'browse documents by date, type or tag' },
  get: { term: 'get [options] <ref>', summary: "a document's metadata and exact text, or a line range of it" },
  eval: { term: 'eval [options] <beir-dir>', summary: 'retrieval quality on a BEIR dataset: nDCG@10, recall@10/100, MRR@10, latency' },
  chat: { term: 'chat [options]', summary: 'talk to an LLM research assistant that searches your archive and quotes it verifiably' },
  serve: {
    term: 'serve [options]',
    summary: 'web page and JSON API for searching, citing and verifying quotes (loopback only unless given a token)',
  },
  mcp: {
    term: 'mcp [options]',
    summary: 'serve the archive to coding agents (Claude Code, Codex, Cursor, Claude Desktop) as an MCP server on stdio',
  },
} as const satisfies Record<string, { term: string; summary: string }>;

export type CommandName = keyof typeof COMMAND_SUMMARIES;

export function summary(name: CommandName): string {
  return COMMAND_SUMMARIES[name].summary;
}
