import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { envModelDir, modelCacheDir } from '../config/env.js';

/** Where transformers.js should look for a model: a local folder tree, or the hub (through a cache). */
export type ModelLocation = { kind: 'local'; root: string; id: string } | { kind: 'hub'; cacheDir: string; id: string };

export interface ModelLookup {
  /** Hub id (`Xenova/bge-small-en-v1.5`) or a path to a model folder. */
  model: string;
  /** `--model-dir` / `PRIORS_MODEL_DIR`: a folder holding `<org>/<name>/` model folders. */
  modelDir?: string | undefined;
  cacheDir?: string | undefined;
}

export function defaultCacheDir(): string {
  return modelCacheDir();
}

function isModelFolder(dir: string): boolean {
  return existsSync(path.join(dir, 'config.json')) && statSync(dir).isDirectory();
}

/**
 * Resolution order: an explicit folder path, then `--model-dir`/`PRIORS_MODEL_DIR`, then the local cache,
 * then the hub (transformers.js checks its cache before downloading).
 */
export function locateModel(lookup: ModelLookup): ModelLocation {
  const asPath = path.resolve(lookup.model);
  if ((lookup.model.startsWith('.') || path.isAbsolute(lookup.model)) && isModelFolder(asPath)) {
    // transformers.js addresses local models as <localModelPath>/<id>; keep org/name when present.
    const parent = path.dirname(asPath);
    const org = path.basename(parent);
    return { kind: 'local', root: path.dirname(parent), id: `${org}/${path.basename(asPath)}` };
  }
  const modelDir = lookup.modelDir ?? envModelDir();
  if (modelDir && isModelFolder(path.join(modelDir, lookup.model))) {
    return { kind: 'local', root: path.resolve(modelDir), id: lookup.model };
  }
  return { kind: 'hub', cacheDir: lookup.cacheDir ?? defaultCacheDir(), id: lookup.model };
}
