import type { Plugin } from 'esbuild';

/** The esbuild plugin that gives a bundle one Arrow, required lazily by LanceDB (see arrow-view.mjs). */
export function lazyArrowView(root: string): Promise<Plugin>;
