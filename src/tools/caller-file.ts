import { realpathSync } from 'node:fs';
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
