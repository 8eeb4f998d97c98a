import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { RootRequest, RootSettings } from '../core/types.js';
import { urlKey } from '../text/links.js';
import { URL_TEMPLATE_FIELDS } from './metadata.js';

export interface RootPlan {
  /** The roots this run reads. */
  ingest: RootSettings[];
  /** Every root the index will remember afterwards (stored ones untouched by this run included). */
  all: RootSettings[];
  /** Roots whose settings changed: their documents are re-derived even when the files did not change. */
  changed: Set<string>;
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

export function validRootName(name: string): string {
  if (!NAME.test(name) || name.length > 64) {
    throw new UsageError(`root name "${name}" must be letters, digits, ".", "_" or "-" (no "/"), at most 64 characters`);
  }
  return name;
}

function checkTemplate(template: string): string {
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    if (!URL_TEMPLATE_FIELDS.includes(m[1] ?? '')) {
      throw new UsageError(`--url-template: unknown placeholder {${m[1]}}; use ${URL_TEMPLATE_FIELDS.map((f) => `{${f}}`).join(' ')}`);
    }
  }
  return template;
}

/** A name from the folder (or the file's stem), made unique among the taken names with `-2`, `-3`, …. */
function defaultName(abs: string, taken: ReadonlySet<string>): string {
  let base = path.basename(abs);
  if (existsSync(abs) && statSync(abs).isFile()) base = base.replace(/\.[^.]+$/, '');
  base = base.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[._-]+/, '') || 'root';
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}

/**
 * `robotic.substack.com`, `https://www.robotic.substack.com/` → `robotic.substack.com`: the host as the link
 * graph compares hosts (urlKey: lower case, no `www.`).
 */
function aliasHost(alias: string): string {
  const key = urlKey(/^[a-z][a-z0-9+.-]*:\/\//i.test(alias.trim()) ? alias.trim() : `https://${alias.trim()}`);
  const host = key?.split('/')[0];
  if (!host?.includes('.')) throw new UsageError(`--url-alias: "${alias}" is not a host name (e.g. robotic.substack.com)`);
  return host;
}

/** Aliases change no document (links are resolved when the index is read), so they are not compared here. */
function sameSettings(a: RootSettings, b: RootSettings): boolean {
  return a.urlTemplate === b.urlTemplate && a.book === b.book && a.author === b.author && a.publication === b.publication;
}

/**
 * Which roots a run reads and what the index remembers. No request (or `everyRoot`): every stored root. A request for a
 * stored path updates that root's settings (its name, and so its ids, stay); a new path given the name of a
 * stored root moves that root there; any other new path becomes a new root named after its folder. New paths must exist; stored roots that went missing are the ingest's business
 * (a warning, their documents stay).
 */
export function planRoots(stored: readonly RootSettings[], requests: readonly RootRequest[], opts: { everyRoot?: boolean } = {}): RootPlan {
  const all = stored.map((r) => ({ ...r }));
  const changed = new Set<string>();
  if (requests.length === 0) return { ingest: all, all, changed };
  const ingest: RootSettings[] = [];
  for (const req of requests) {
    const abs = path.resolve(req.path);
    const known = all.find((r) => r.path === abs);
    if (!known && !existsSync(abs)) throw new UsageError(`cannot read ${req.path}: no such file or folder`);
    if (req.name !== undefined) validRootName(req.name);
    const settings = {
      ...(req.urlTemplate !== undefined ? { urlTemplate: req.urlTemplate ? checkTemplate(req.urlTemplate) : null } : {}),
      ...(req.book !== undefined ? { book: req.book || null } : {}),
      ...(req.author !== undefined ? { author: req.author || null } : {}),
      ...(req.publication !== undefined ? { publication: req.publication || null } : {}),
      ...(req.urlAliases !== undefined ? { urlAliases: [...new Set(req.urlAliases.filter((a) => a.trim()).map(aliasHost))] } : {}),
    };
    if (known) {
      if (req.name !== undefined && req.name !== known.name) {
        throw new UsageError(
          `${req.path} is already the root "${known.name}"; remove it first (priors roots remove ${known.name}) to give it another name`,
        );
      }
      const updated = { ...known, ...settings };
      if (!sameSettings(known, updated)) changed.add(known.name);
      Object.assign(known, updated);
      if (!ingest.includes(known)) ingest.push(known);
      continue;
    }
    const taken = new Set(all.map((r) => r.name));
    const named = req.name === undefined ? undefined : all.find((r) => r.name === req.name);
    if (named) {
      // An explicit name of a stored root at a new path: the collection moved (a disk renamed, a folder copied
      // elsewhere). Its ids stay; its documents are re-read from the new place.
      Object.assign(named, { ...settings, path: abs });
      changed.add(named.name);
      if (!ingest.includes(named)) ingest.push(named);
      continue;
    }
    const root: RootSettings = {
      name: req.name ?? defaultName(abs, taken),
      path: abs,
      urlTemplate: null,
      book: null,
      author: null,
      publication: null,
      ...settings,
    };
    all.push(root);
    ingest.push(root);
  }
  // Roots from the config file update their settings, and a bare ingest still reads every root.
  return { ingest: opts.everyRoot ? all : ingest, all, changed };
}
