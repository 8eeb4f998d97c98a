/**
 * Each tool's input JSON Schema (as JSON text), by tool name, exactly as `deriveJsonSchema` makes it from the tool's
 * zod schema. scripts/build.mjs replaces this module with the schemas it derived, so a bundled command, the MCP
 * server, the HTTP API and the chat loop parse stored text instead of converting zod schemas in every process
 * (zod's toJSONSchema cost a cold `priors search` ~2 ms of its ~30 ms own start-up). Run from source nothing is
 * built, and the schemas are derived on use. tests/cli/built-schemas.test.ts checks the two agree.
 */
export const BUILT_SCHEMAS: Readonly<Record<string, string>> | null = null;
