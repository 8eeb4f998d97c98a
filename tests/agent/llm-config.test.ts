import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPENAI_MODEL, isConfigured, resolveLlmSettings } from '../../src/agent/llm-config.js';
import { loadConfig } from '../../src/config/config.js';
import { tempDir } from '../helpers/sample-index.js';

const llm = (baseURL?: string, apiKey?: string, model?: string) => ({ llm: { baseURL, apiKey, model } });

describe('resolveLlmSettings', () => {
  it('is not configured without a key or a base URL, and says how to configure one', () => {
    const r = resolveLlmSettings(llm(undefined, '  ', 'x'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(
      /^no LLM API configured — set OPENAI_API_KEY .*OPENAI_BASE_URL=http:\/\/localhost:11434\/v1 for Ollama.*--model.*priors\.config\.json/,
    );
    expect(isConfigured(llm())).toBe(false);
  });

  it('uses a default model only for api.openai.com', () => {
    expect(resolveLlmSettings(llm(undefined, 'sk-x'))).toEqual({
      ok: true,
      settings: { baseURL: undefined, apiKey: 'sk-x', model: DEFAULT_OPENAI_MODEL },
    });
    expect(resolveLlmSettings(llm('https://api.openai.com/v1', 'sk-x'))).toMatchObject({
      ok: true,
      settings: { model: DEFAULT_OPENAI_MODEL },
    });
    const local = resolveLlmSettings(llm('http://localhost:11434/v1'));
    expect(!local.ok && local.message).toBe(
      'no LLM model chosen for http://localhost:11434/v1 — pass --model <id> or set PRIORS_LLM_MODEL (e.g. llama3.1 for Ollama)',
    );
  });

  it('needs no key for a local server; the --model flag beats env and config', () => {
    expect(resolveLlmSettings(llm('http://localhost:11434/v1', undefined, 'from-config'), { model: 'llama3.1' })).toEqual({
      ok: true,
      settings: { baseURL: 'http://localhost:11434/v1', apiKey: undefined, model: 'llama3.1' },
    });
  });

  it('reads the llm block of priors.config.json, with the environment on top', () => {
    const cwd = tempDir();
    const xdg = path.join(cwd, 'xdg');
    mkdirSync(path.join(xdg, 'priors'), { recursive: true });
    writeFileSync(path.join(xdg, 'priors', 'config.json'), JSON.stringify({ llm: { apiKey: 'home-key', model: 'home-model' } }));
    writeFileSync(
      path.join(cwd, 'priors.config.json'),
      JSON.stringify({ llm: { baseURL: 'http://localhost:1234/v1', model: 'cwd-model' } }),
    );
    // configFiles() looks for the home config under the process's XDG_CONFIG_HOME.
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = xdg;
    try {
      const fromFiles = resolveLlmSettings(loadConfig(cwd, {}));
      expect(fromFiles).toEqual({ ok: true, settings: { baseURL: 'http://localhost:1234/v1', apiKey: 'home-key', model: 'cwd-model' } });
      const withEnv = resolveLlmSettings(loadConfig(cwd, { PRIORS_LLM_MODEL: 'env-model', OPENAI_API_KEY: 'env-key' }));
      expect(withEnv).toMatchObject({ settings: { apiKey: 'env-key', model: 'env-model' } });
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
  });
});
