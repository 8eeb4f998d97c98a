import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { PriorsError, UsageError, errorMessage } from '../../core/errors.js';

/** Bounds on what an export may make us read: a zip bomb or a huge entry is refused, naming the entry. */
export interface ExportLimits {
  /** One entry (a post's HTML, posts.csv, the Ghost JSON) uncompressed. */
  maxEntryBytes: number;
  /** Every entry read, uncompressed, together. */
  maxTotalBytes: number;
  /** Entries listed (zip) or files walked (folder). */
  maxEntries: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = {
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxEntries: 200_000,
};

/** An entry that can't be read within the limits, or at all: the message names the export and the entry. */
export class ExportEntryError extends PriorsError {
  constructor(
    readonly entry: string,
    message: string,
    kind: 'usage' | 'too_large' = 'usage',
  ) {
    super(message, kind);
    this.name = 'ExportEntryError';
  }
}

/** An export as a set of named files (POSIX paths), from a .zip or an unpacked folder. */
export interface ExportSource {
  /** What the user named (for messages). */
  readonly label: string;
  /** Entry names, POSIX, relative to the export's top. */
  readonly names: readonly string[];
  /** Warnings found while listing (entries with unsafe names, left out). */
  readonly warnings: readonly string[];
  read(name: string): Promise<Buffer>;
  close(): void;
}

/**
 * Names that could point outside the export (absolute, `..`, backslashes, drive letters, NUL). They are never
 * written anywhere (importers write files named after slugs), but a folder export must not be made to read
 * outside itself, and a zip holding them is not an export this tool wrote.
 */
function unsafeName(name: string): boolean {
  return (
    name.includes('\0') || name.includes('\\') || name.startsWith('/') || /^[a-z]:/i.test(name) || name.split('/').some((p) => p === '..')
  );
}

class Budget {
  private total = 0;
  constructor(
    private readonly label: string,
    private readonly limits: ExportLimits,
  ) {}

  /** Count `bytes` more of `entry`; throws when an entry or the whole read goes over its limit. */
  take(entry: string, bytes: number, declared = false): void {
    const what = declared ? 'declares' : 'has';
    if (bytes > this.limits.maxEntryBytes) {
      throw new ExportEntryError(
        entry,
        `${this.label}: ${entry} ${what} ${bytes} bytes uncompressed, over the ${this.limits.maxEntryBytes}-byte limit for one entry`,
        'too_large',
      );
    }
    if (declared) return;
    this.total += bytes;
    if (this.total > this.limits.maxTotalBytes) {
      throw new ExportEntryError(
        entry,
        `${this.label}: reading ${entry} passes the ${this.limits.maxTotalBytes}-byte limit for a whole export`,
        'too_large',
      );
    }
  }
}

/** Open a Substack/Ghost/WordPress export: a `.zip` (read in place, entry by entry), a folder, or one file. */
export async function openExport(source: string, limits: ExportLimits = DEFAULT_EXPORT_LIMITS): Promise<ExportSource> {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(source);
  } catch (err) {
    throw new UsageError(
      `cannot read ${source}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : errorMessage(err)}`,
    );
  }
  if (stat.isDirectory()) return openFolder(source, limits);
  if (/\.zip$/i.test(source)) return openZip(source, limits);
  // A single file (a Ghost .json, a WordPress .xml): an export of one entry.
  const name = path.basename(source);
  return openFolder(path.dirname(source), limits, [name]);
}

function openFolder(dir: string, limits: ExportLimits, only?: string[]): ExportSource {
  const root = realpathSync(dir);
  const budget = new Budget(dir, limits);
  const names: string[] = only ?? [];
  if (!only) {
    const walk = (rel: string) => {
      for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
        const name = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(name);
        else if (entry.isFile()) names.push(name);
        if (names.length > limits.maxEntries)
          throw new PriorsError(`${dir}: more than ${limits.maxEntries} files; is this an export?`, 'too_large');
      }
    };
    walk('');
  }
  return {
    label: dir,
    names: names.sort(),
    warnings: [],
    async read(name) {
      if (unsafeName(name)) throw new ExportEntryError(name, `${dir}: refusing to read "${name}", which points outside the export`);
      const file = path.join(root, name);
      // Symbolic links inside the folder must not lead out of it either.
      let real: string;
      try {
        real = realpathSync(file);
      } catch (err) {
        throw new ExportEntryError(
          name,
          `${dir}: ${name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : errorMessage(err)}`,
        );
      }
      if (real !== root && !real.startsWith(root + path.sep)) {
        throw new ExportEntryError(name, `${dir}: refusing to read ${name}, a link to outside the export`);
      }
      const size = lstatSync(real).size;
      budget.take(name, size, true);
      const bytes = readFileSync(real);
      budget.take(name, bytes.length);
      return bytes;
    },
    close() {},
  };
}

function promisify<T>(fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

async function openZip(file: string, limits: ExportLimits): Promise<ExportSource> {
  let zip: yauzl.ZipFile;
  try {
    // Names are decoded and checked here, not by yauzl (whose check fails the whole archive): an unsafe one is skipped.
    zip = await promisify<yauzl.ZipFile>((cb) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, cb),
    );
  } catch (err) {
    throw new PriorsError(`${file}: not a readable zip file (${errorMessage(err)})`, 'usage');
  }
  const label = file;
  const budget = new Budget(label, limits);
  const entries = new Map<string, yauzl.Entry>();
  const warnings: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const raw = entry.fileName as unknown as Buffer;
        const name = raw.toString('utf8');
        if (entries.size + warnings.length >= limits.maxEntries) {
          reject(new PriorsError(`${label}: more than ${limits.maxEntries} entries; is this an export?`, 'too_large'));
          return;
        }
        if (unsafeName(name)) warnings.push(`${label}: skipped entry "${name}", its name points outside the export`);
        else if (!name.endsWith('/')) entries.set(name, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    if (err instanceof PriorsError) throw err;
    throw new PriorsError(`${label}: damaged zip file (${errorMessage(err)})`, 'usage');
  }
  return {
    label,
    names: [...entries.keys()].sort(),
    warnings,
    async read(name) {
      const entry = entries.get(name);
      if (!entry) throw new ExportEntryError(name, `${label}: no entry ${name}`);
      budget.take(name, entry.uncompressedSize, true);
      const stream = await promisify<NodeJS.ReadableStream>((cb) => zip.openReadStream(entry, cb)).catch((err: unknown) => {
        throw new ExportEntryError(name, `${label}: ${name}: ${errorMessage(err)}`);
      });
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        // yauzl stops a stream that inflates past the size the entry declares; this bounds a lying header too.
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          size += chunk.length;
          budget.take(name, size, true);
          chunks.push(chunk);
        }
      } catch (err) {
        (stream as unknown as { destroy?: () => void }).destroy?.();
        if (err instanceof ExportEntryError) throw err;
        if (/too many bytes/.test(errorMessage(err))) {
          throw new ExportEntryError(
            name,
            `${label}: ${name} inflates past the ${entry.uncompressedSize} bytes its header declares (a zip bomb?); refused`,
            'too_large',
          );
        }
        throw new ExportEntryError(name, `${label}: ${name}: ${errorMessage(err)}`);
      }
      budget.take(name, size);
      return Buffer.concat(chunks, size);
    },
    close() {
      zip.close();
    },
  };
}
