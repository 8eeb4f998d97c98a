import type { PriorsConfig } from '../config/config.js';

/** Model used when talking to api.openai.com and no model was chosen. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
/** Per request; a streamed answer from a slow local model can take a while. */
export const DEFAULT_TIMEOUT_MS = 120_000;
/** Retries on 429, 5xx, connection errors and timeouts, with the client's exponential backoff. */
export const DEFAULT_MAX_RETRIES = 3;

/** Everything needed to talk to one OpenAI-compatible chat API. */
export interface LlmSettings {
  /** Undefined means api.openai.com. */
  baseURL: string | undefined;
  apiKey: string | undefined;
  model: string;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

export interface LlmFlags {
  /** `--model`: beats `PRIORS_LLM_MODEL` and the config file. */
  model?: string | undefined;
}

export type LlmResolution = { ok: true; settings: LlmSettings } | { ok: false; message: string };

export const CONFIG_HINT =
  'set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL=http://localhost:11434/v1 for Ollama (any OpenAI-compatible server works), and --model <id>; or put "llm": {"baseURL", "apiKey", "model"} in ./priors.config.json or ~/.config/priors/config.json';

export const NOT_CONFIGURED_MESSAGE = `no LLM API configured — ${CONFIG_HINT}`;

/**
 * LLM settings, highest precedence first: flags, environment (`OPENAI_BASE_URL`, `OPENAI_API_KEY`,
 * `PRIORS_LLM_MODEL`), then the `llm` block of the config files (`loadConfig` has already merged
 * env over files).
 */
export function resolveLlmSettings(config: Pick<PriorsConfig, 'llm'>, flags: LlmFlags = {}): LlmResolution {
  const baseURL = nonEmpty(config.llm.baseURL);
  const apiKey = nonEmpty(config.llm.apiKey);
  // A base URL alone is enough: local servers (Ollama, llama.cpp, LM Studio) need no key.
  if (!baseURL && !apiKey) return { ok: false, message: NOT_CONFIGURED_MESSAGE };
  // Only api.openai.com has a model we can reasonably pick; a local server's models are the user's.
  const official = !baseURL || /^https:\/\/api\.openai\.com(\/|$)/.test(baseURL);
  const model = nonEmpty(flags.model) ?? nonEmpty(config.llm.model) ?? (official ? DEFAULT_OPENAI_MODEL : undefined);
  if (!model) {
    return {
      ok: false,
      message: `no LLM model chosen for ${baseURL} — pass --model <id> or set PRIORS_LLM_MODEL (e.g. llama3.1 for Ollama)`,
    };
  }
  return { ok: true, settings: { baseURL, apiKey, model } };
}

export function isConfigured(config: Pick<PriorsConfig, 'llm'>, flags: LlmFlags = {}): boolean {
  return resolveLlmSettings(config, flags).ok;
}

/** Where requests go, for messages. */
export function describeEndpoint(settings: Pick<LlmSettings, 'baseURL'>): string {
  return settings.baseURL ?? 'https://api.openai.com/v1';
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}
