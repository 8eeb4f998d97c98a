import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { decodeSource, readRegularFile } from '../text/read-source.js';
import type { ToolContext } from './tool.js';

/** A draft is text; a file bigger than this is not one (and reading it would cost memory for nothing). */
export const MAX_CALLER_FILE_BYTES = 4 * 1024 * 1024;

function inside(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function realpath(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

/**
 * Read a file a tool caller named (related's `path`), as far as the context allows: any path on the CLI
 * (the user typed it); on MCP only a non-hidden file under a folder given with `--allow-read` (symbolic
 * links resolved first, so a link cannot lead out); elsewhere nothing. In every case only a regular UTF-8
 * file of at most MAX_CALLER_FILE_BYTES — never a device, FIFO or socket.
 */
export function readCallerFile(ctx: ToolContext, tool: string, typedPath: string): { absPath: string; text: string } {
  const access = ctx.fileAccess;
  if (access === undefined) throw new UsageError(`${tool}: path is not accepted here; send the draft as text`);
  let absPath = path.resolve(typedPath);
  if (access !== 'any') {
    const real = realpath(absPath);
    const folders = access.folders.map((f) => realpath(path.resolve(f))).filter((f): f is string => f !== null);
    const home = real === null ? undefined : folders.find((f) => inside(f, real));
    if (real === null || home === undefined) {
      throw new UsageError(
        `${tool}: ${typedPath} is not in a folder this server may read (priors mcp --allow-read <folder>); send the draft as text`,
      );
    }
    if (
      path
        .relative(home, real)
        .split(path.sep)
        .some((part) => part.startsWith('.'))
    ) {
      throw new UsageError(`${tool}: ${typedPath} is a hidden file or in a hidden folder; send the draft as text`);
    }
    absPath = real;
  }
  const file = readRegularFile(absPath, MAX_CALLER_FILE_BYTES);
  if (!file.ok) throw new UsageError(`${tool}: cannot read ${typedPath}: ${file.reason}`);
  const decoded = decodeSource(file.bytes);
  if (!decoded.ok) throw new UsageError(`${tool}: cannot read ${typedPath}: ${decoded.reason}`);
  return { absPath, text: decoded.content };
}

// `./x`, `../x`, `~/x`, `/x`, `C:\x`: only a path starts like that.
const PATH_START = /^(?:~|\.{1,2})?[\\/]|^[A-Za-z]:[\\/]/;
// A file extension at the very end (`draft.md`, `notes.txt`), not a sentence's last period.
const FILE_EXTENSION = /\.[A-Za-z][A-Za-z0-9]{0,7}$/;

/**
 * A command-line argument that may be a draft file or the draft's text (related, check): a file when one
 * exists there; otherwise text — unless it looks like a path (starts like one, or is one word or has a
 * folder and ends in a file extension), which is then a mistyped path and an error naming it, rather than
 * a search for the path's words. `asText` (the `--text` flag) takes it as text whatever it looks like.
 */
export function draftArgument(tool: string, typed: string, asText = false): { text: string } | { path: string } {
  if (asText) return { text: typed };
  const oneLine = !typed.includes('\n');
  if (oneLine && typed.length <= 4096 && existsSync(typed)) return { path: typed };
  const pathLike = oneLine && (PATH_START.test(typed) || (FILE_EXTENSION.test(typed) && (!/\s/.test(typed) || /[\\/]/.test(typed))));
  if (pathLike) throw new UsageError(`${tool}: no file ${typed} (to use these words as the draft, add --text)`);
  return { text: typed };
}
