import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { importExport } from '../../src/ingest/importers/import.js';
import { importExport as importFromLibrary } from '../../src/lib.js';
import { callTool, ToolInputError } from '../../src/tools/tool.js';
import { citeTool } from '../../src/tools/cite.js';
import { importTool } from '../../src/tools/import.js';
import { listDocumentsTool } from '../../src/tools/list-documents.js';
import { collect, spawnPriors } from '../helpers/cli-process.js';
import { REPO } from '../helpers/paths.js';
import { sampleContext, tempDir } from '../helpers/sample-index.js';
import { makeZip, type ZipEntry } from '../helpers/zip.js';

const FIXTURES = path.join(REPO, 'tests', 'fixtures', 'exports');
const SUBSTACK = path.join(FIXTURES, 'substack');
const GHOST = path.join(FIXTURES, 'ghost', 'harbour-notes.ghost.json');
const WORDPRESS = path.join(FIXTURES, 'wordpress');
const BASE = 'https://harbour.example.test';

/** The Substack fixture folder as the zip Substack hands out. */
function substackZipEntries(dir = SUBSTACK): ZipEntry[] {
  const entries: ZipEntry[] = [{ name: 'posts.csv', data: readFileSync(path.join(dir, 'posts.csv')) }];
  for (const f of readdirSync(path.join(dir, 'posts')))
    entries.push({ name: `posts/${f}`, data: readFileSync(path.join(dir, 'posts', f)) });
  return entries;
}

function writeZip(entries: ZipEntry[]): string {
  const file = path.join(tempDir('priors-export-'), 'export.zip');
  writeFileSync(file, makeZip(entries));
  return file;
}

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');

/** Every file under a folder, relative, sorted (hidden ones too). */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

describe('priors import substack', () => {
  it('converts posts.csv + posts/<post_id>.html (zip or folder alike) into markdown with front matter and canonical URLs', async () => {
    const fromZip = path.join(tempDir(), 'out');
    const report = await importExport({ format: 'substack', source: writeZip(substackZipEntries()), out: fromZip, baseUrl: BASE });
    expect(report).toMatchObject({ imported: 3, written: 3, unchanged: 0, removed: 0, skipped: 2 });
    // The draft is left out silently; a row whose body is missing is named.
    expect(report.warnings).toEqual(['posts.csv row 6: post 505.missing-body has no posts/505.missing-body.html in the export; skipped']);
    expect(report.files).toEqual(['members-only-ledger.md', 'notes-on-tide-tables.md', 'talking-lighthouses-with-ines.md']);

    const tide = read(fromZip, 'notes-on-tide-tables.md');
    expect(tide).toBe(
      [
        '---',
        'title: "Notes on tide tables"',
        'subtitle: "Why the harbour clock runs \\"late\\", and other puzzles"',
        'date: 2023-03-14',
        'url: "https://harbour.example.test/p/notes-on-tide-tables"',
        'type: "newsletter"',
        'audience: "everyone"',
        'slug: "notes-on-tide-tables"',
        'post_id: "101.notes-on-tide-tables"',
        '---',
        '',
        // No export residue: no `It\'s`, no `\[mostly\]`, no subscribe widget; footnotes are markdown footnotes.
        "The harbour clock is set by the tide tables, not the other way round. It's a small thing [mostly].",
        '',
        '## Why it runs late',
        '',
        'Every spring the tables are printed a week after the equinox[^1], so the clock is wrong for seven days.',
        '',
        '- High water: 06:12',
        '- Low water: 12:40',
        '',
        '> A clock that agrees with the sea is never late.',
        '',
        '[^1]: The printer works only on Tuesdays.',
        '',
      ].join('\n'),
    );
    expect(read(fromZip, 'talking-lighthouses-with-ines.md')).toContain('podcast_url: "https://example-audio.test/ep202.mp3"');

    const fromFolder = path.join(tempDir(), 'out');
    await importExport({ format: 'substack', source: SUBSTACK, out: fromFolder, baseUrl: BASE });
    for (const f of report.files) expect(read(fromFolder, f)).toBe(read(fromZip, f));

    const drafts = path.join(tempDir(), 'out');
    const withDrafts = await importExport({ format: 'substack', source: SUBSTACK, out: drafts, drafts: true });
    expect(withDrafts.files).toContain('unfinished-draft.md');
    expect(read(drafts, 'unfinished-draft.md')).toMatch(/\ndraft: true\n/);
    // Without --base-url there is no address to give.
    expect(read(drafts, 'notes-on-tide-tables.md')).not.toContain('url:');
  });

  it('yields documents priors ingests with title, subtitle, date, type, audience and URL; the interview is an interview and cites with its URL', async () => {
    const out = path.join(tempDir(), 'harbour');
    await importExport({ format: 'substack', source: SUBSTACK, out, baseUrl: BASE });
    const index = path.join(tempDir(), 'index');
    await ingest({ roots: [out], index, embedder: null });
    const ctx = sampleContext(index);
    try {
      const { documents } = await callTool(listDocumentsTool, ctx, { limit: 10 });
      const byId = Object.fromEntries(documents.map((d) => [d.docId, d]));
      expect(byId['harbour/notes-on-tide-tables.md']).toMatchObject({
        title: 'Notes on tide tables',
        date: '2023-03-14',
        url: 'https://harbour.example.test/p/notes-on-tide-tables',
        type: 'post',
        sourceType: 'newsletter',
      });
      // A podcast whose body is a conversation is an interview, with its guest.
      expect(byId['harbour/talking-lighthouses-with-ines.md']).toMatchObject({ type: 'interview', sourceType: 'podcast' });
      const cite = await callTool(citeTool, ctx, {
        docId: 'harbour/talking-lighthouses-with-ines.md',
        quote: 'Like a room where someone has just stopped talking.',
      });
      expect(JSON.stringify(cite)).toContain('https://harbour.example.test/p/talking-lighthouses-with-ines');
      expect(JSON.stringify(cite)).toContain('Ines Moreau');
    } finally {
      await ctx.close();
    }
    const meta = read(out, 'members-only-ledger.md');
    expect(meta).toContain('audience: "only_paid"');
  });

  it('is idempotent: a re-import changes no file, and a post renamed or gone leaves no stale copy', async () => {
    const out = path.join(tempDir(), 'out');
    const source = path.join(tempDir(), 'export');
    cpSync(SUBSTACK, source, { recursive: true });
    await importExport({ format: 'substack', source, out, baseUrl: BASE });
    const before = tree(out);
    const again = await importExport({ format: 'substack', source, out, baseUrl: BASE });
    expect(again).toMatchObject({ written: 0, unchanged: 3, removed: 0 });
    expect(tree(out)).toEqual(before);

    // An author's own file beside the imported ones is never touched.
    writeFileSync(path.join(out, 'my-own-notes.md'), '# mine\n');
    // The ledger post got a new slug; the tide post left the export.
    const csv = readFileSync(path.join(source, 'posts.csv'), 'utf8')
      .replace('303.members-only-ledger', '303.the-ledger')
      .split('\n')
      .filter((l) => !l.startsWith('101.'))
      .join('\n');
    writeFileSync(path.join(source, 'posts.csv'), csv);
    cpSync(path.join(source, 'posts', '303.members-only-ledger.html'), path.join(source, 'posts', '303.the-ledger.html'));
    const third = await importExport({ format: 'substack', source, out, baseUrl: BASE });
    expect(third).toMatchObject({ written: 1, unchanged: 1, removed: 2 });
    expect(tree(out)).toEqual(['.priors-import-substack.json', 'my-own-notes.md', 'talking-lighthouses-with-ines.md', 'the-ledger.md']);
  });
});

describe('priors import ghost and wordpress', () => {
  it('Ghost JSON: published posts and pages, tags without internal ones, authors, canonical_url kept, <base>/<slug>/ otherwise', async () => {
    const out = path.join(tempDir(), 'out');
    const report = await importExport({ format: 'ghost', source: GHOST, out, baseUrl: BASE });
    expect(report).toMatchObject({
      imported: 3,
      skipped: 2,
      files: ['buoys-field-guide.md', 'night-the-lamp-failed.md', 'pages/about.md'],
    });
    expect(report.warnings).toEqual([
      'harbour-notes.ghost.json: post 6650a5 ("Lexical only") has no html or plaintext (only a lexical/mobiledoc document); skipped',
    ]);
    const buoys = read(out, 'buoys-field-guide.md');
    expect(buoys).toContain(
      'subtitle: "Colours, cones and what they promise"\ndate: 2024-02-10\nurl: "https://harbour.example.test/buoys-field-guide/"',
    );
    expect(buoys).toContain('tags: ["navigation", "history"]\nauthors: ["Marta Quay"]');
    expect(buoys).toContain('The cardinal marks point to [safe water](https://example.test/safe-water) by their cones.');
    expect(read(out, 'night-the-lamp-failed.md')).toContain(
      'url: "https://elsewhere.example.test/stories/lamp-failed"\ntype: "post"\naudience: "paid"',
    );
    // The same export in a zip, as newer Ghost versions hand it out.
    const zipped = path.join(tempDir(), 'out');
    await importExport({
      format: 'ghost',
      source: writeZip([{ name: 'harbour-notes.ghost.json', data: readFileSync(GHOST) }]),
      out: zipped,
      baseUrl: BASE,
    });
    expect(read(zipped, 'buoys-field-guide.md')).toBe(buoys);
  });

  it('WordPress WXR: posts and pages with permalinks, tags and categories, display names, paragraphs of classic posts, no attachments or drafts', async () => {
    const out = path.join(tempDir(), 'out');
    const report = await importExport({ format: 'wordpress', source: WORDPRESS, out });
    expect(report).toMatchObject({
      imported: 3,
      skipped: 2,
      warnings: [],
      files: ['2024.md', 'pages/visiting.md', 'reading-the-barometer.md'],
    });
    const barometer = read(out, 'reading-the-barometer.md');
    expect(barometer).toContain(
      [
        'title: "Reading the barometer & the sky"',
        'description: "What the glass says, and what the **sky** adds."',
        'date: 2024-04-09',
        'url: "https://harbourlog.example.test/2024/04/reading-the-barometer/"',
        'type: "post"',
        'tags: ["barometer", "forecasting"]',
        'categories: ["Weather"]',
        'authors: ["Tom Keel"]',
      ].join('\n'),
    );
    // Classic (un-tagged) paragraphs stay paragraphs; the caption shortcode keeps its image and text.
    expect(barometer).toContain(
      "A falling glass means weather is coming, but not when.\n\nThe sky tells you the when: *mares' tails* first",
    );
    expect(barometer).toContain(
      '![the barometer](https://harbourlog.example.test/wp-content/uploads/glass.jpg) The barometer in the harbour office',
    );
    // A title that looks like a number stays a string.
    expect(read(out, '2024.md')).toMatch(/^---\ntitle: "2024"\n/);
    const drafts = await importExport({ format: 'wordpress', source: WORDPRESS, out: path.join(tempDir(), 'out'), drafts: true });
    expect(drafts.files).toContain('20.md');
  });
});

describe('hostile exports', () => {
  it('a zip bomb, a lying header and a huge entry cost their post with a one-line warning naming the entry; the rest imports', async () => {
    const entries = substackZipEntries();
    const idx = entries.findIndex((e) => e.name === 'posts/303.members-only-ledger.html');
    // 50 MB of zeros inflating from ~50 KB, while its header claims 200 bytes.
    entries[idx] = { name: entries[idx]!.name, data: Buffer.alloc(50 * 1024 * 1024), declaredSize: 200 };
    const tide = entries.findIndex((e) => e.name === 'posts/101.notes-on-tide-tables.html');
    entries[tide] = { name: entries[tide]!.name, data: Buffer.alloc(3 * 1024 * 1024, 'a') };
    const zip = writeZip(entries);
    const started = Date.now();
    const report = await importExport({
      format: 'substack',
      source: zip,
      out: path.join(tempDir(), 'out'),
      limits: { maxEntryBytes: 1024 * 1024, maxTotalBytes: 100 * 1024 * 1024, maxEntries: 1000 },
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.files).toEqual(['talking-lighthouses-with-ines.md']);
    expect(report.warnings).toEqual([
      `${zip}: posts/101.notes-on-tide-tables.html declares 3145728 bytes uncompressed, over the 1048576-byte limit for one entry; skipped`,
      `${zip}: posts/303.members-only-ledger.html inflates past the 200 bytes its header declares (a zip bomb?); refused; skipped`,
      'posts.csv row 6: post 505.missing-body has no posts/505.missing-body.html in the export; skipped',
    ]);
  });

  it('never writes or reads outside: traversal in entry names and post ids is refused, files land under --out', async () => {
    const base = tempDir();
    const out = path.join(base, 'out');
    const csv =
      'post_id,post_date,is_published,type,audience,title,subtitle\n1.../../../escaped,2024-01-01,true,newsletter,everyone,Sneaky,\n2.fine,2024-01-02,true,newsletter,everyone,Fine,\n';
    const zip = writeZip([
      { name: 'posts.csv', data: csv },
      { name: 'posts/1.../../../escaped.html', data: '<p>x</p>' },
      { name: '../../outside.html', data: '<p>y</p>' },
      { name: '/etc/absolute.html', data: '<p>z</p>' },
      { name: 'posts/2.fine.html', data: '<p>Fine words.</p>' },
    ]);
    const report = await importExport({ format: 'substack', source: zip, out });
    expect(report.files).toEqual(['fine.md']);
    expect(report.warnings).toEqual([
      `${zip}: skipped entry "posts/1.../../../escaped.html", its name points outside the export`,
      `${zip}: skipped entry "../../outside.html", its name points outside the export`,
      `${zip}: skipped entry "/etc/absolute.html", its name points outside the export`,
      'posts.csv row 2: post 1.../../../escaped has no posts/1.../../../escaped.html in the export; skipped',
    ]);
    expect(tree(base)).toEqual(['out/.priors-import-substack.json', 'out/fine.md']);

    // An unpacked export: a post id may not read outside the folder either.
    const folder = path.join(base, 'export');
    mkdirSync(path.join(folder, 'posts'), { recursive: true });
    writeFileSync(path.join(base, 'secret.html'), '<p>secret</p>');
    writeFileSync(path.join(folder, 'posts.csv'), 'post_id,post_date,is_published,title\n../../secret,2024-01-01,true,Sneaky\n');
    const fromFolder = await importExport({ format: 'substack', source: folder, out: path.join(base, 'out2') });
    expect(fromFolder.files).toEqual([]);
    expect(fromFolder.warnings).toEqual(['posts.csv row 2: post ../../secret has no posts/../../secret.html in the export; skipped']);
  });

  it('rejects what is not an export of the named kind in one line', async () => {
    const out = path.join(tempDir(), 'out');
    await expect(importExport({ format: 'substack', source: WORDPRESS, out })).rejects.toThrow(
      /no posts\.csv — is this a Substack export\?$/,
    );
    await expect(importExport({ format: 'wordpress', source: SUBSTACK, out })).rejects.toThrow(
      /no \.xml file — is this a WordPress export/,
    );
    const notZip = path.join(tempDir(), 'x.zip');
    writeFileSync(notZip, 'not a zip');
    await expect(importExport({ format: 'substack', source: notZip, out })).rejects.toThrow(/x\.zip: not a readable zip file/);
    rmSync(out, { recursive: true, force: true });
  });
});

describe('import as a tool and a command', () => {
  it('validates with the one schema (naming the field) and runs from the CLI with --json', async () => {
    const ctx = sampleContext(path.join(tempDir(), 'no-index'));
    await expect(callTool(importTool, ctx, { format: 'medium', source: SUBSTACK, out: 'x' })).rejects.toThrow(ToolInputError);
    await expect(callTool(importTool, ctx, { format: 'substack', source: SUBSTACK, out: 'x', baseUrl: 'ftp://x' })).rejects.toThrow(
      /baseUrl/,
    );
    await ctx.close();

    const out = path.join(tempDir(), 'out');
    const run = collect(spawnPriors(['import', 'substack', SUBSTACK, '--out', out, '--base-url', BASE, '--json']));
    expect(await run.exit).toBe(0);
    expect(JSON.parse(run.out())).toMatchObject({ format: 'substack', imported: 3, written: 3, out });
    // The library call: the same tool and schema.
    const lib = await importFromLibrary({ format: 'ghost', source: GHOST, out: path.join(tempDir(), 'lib') });
    expect(lib.files).toEqual(['buoys-field-guide.md', 'night-the-lamp-failed.md', 'pages/about.md']);
    await expect(importFromLibrary({ format: 'ghost', source: GHOST, out: '' })).rejects.toThrow(/out/);
    const bad = collect(spawnPriors(['import', 'medium', SUBSTACK, '--out', out]));
    expect(await bad.exit).toBe(2);
    expect(bad.err()).toMatch(/^error: import_export: format: /);
  });
});
