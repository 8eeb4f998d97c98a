import { askTool } from '../tools/ask.js';
import { toolJsonSchema } from '../tools/tool.js';
import { VERSION } from '../version.js';
import type { ToolRoute } from './routes.js';

type Json = Record<string, unknown>;

/** The tool's JSON Schema as OpenAPI 3.1 wants it inline (no `$schema` dialect marker). */
function inputSchema(route: Pick<ToolRoute, 'tool'>): Json {
  const { $schema: _dialect, ...schema } = toolJsonSchema(route.tool);
  return schema;
}

const errorSchema: Json = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
  required: ['error'],
};

const errorResponses: Json = {
  '400': {
    description: 'invalid input (the message names the field)',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '401': { description: 'missing or wrong access token (when the server has one)' },
  '404': {
    description: 'no such document in the index',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '503': {
    description: 'no index yet, or it is busy',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
};

/** GET tools read the same fields from the query string; path fields come from the URL. */
function parameters(route: ToolRoute): Json[] {
  const schema = inputSchema(route);
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(props).map(([name, prop]) => {
    const inPath = name === route.pathField;
    const { description, ...rest } = prop;
    return {
      name,
      in: inPath ? 'path' : 'query',
      required: inPath || required.has(name),
      ...(description !== undefined ? { description } : {}),
      schema: rest,
      // Arrays: `?type=post&type=transcript`; the server also accepts `?type=post,transcript`.
      ...(rest.type === 'array' ? { style: 'form', explode: true } : {}),
    };
  });
}

/**
 * OpenAPI 3.1 for the JSON API, generated from the same zod schemas that validate requests
 * (via toolJsonSchema), so the description can't drift from what the server accepts.
 */
export function buildOpenApi(routes: readonly ToolRoute[], opts: { auth: boolean }): Json {
  const paths: Record<string, Json> = {};
  const ok = (description: string): Json => ({ '200': { description, content: { 'application/json': { schema: { type: 'object' } } } } });

  for (const route of routes) {
    const op: Json = {
      operationId: route.tool.name,
      summary: route.summary,
      description: route.tool.description,
      responses: { ...ok(route.tool.title), ...errorResponses },
    };
    if (route.method !== 'post') op.parameters = parameters(route);
    else op.requestBody = { required: true, content: { 'application/json': { schema: inputSchema(route) } } };
    paths[route.openapiPath] = { ...paths[route.openapiPath], [route.method]: op };
  }

  paths['/api/ask'] = {
    post: {
      operationId: 'ask',
      summary: "Answer a question from the author's writing, streamed as Server-Sent Events",
      description:
        'Events (each `data:` is a JSON object with a `type` equal to the event name): `start` {mode: llm|offline}; with an LLM `tool_call`, `tool_result`, `token` {text}, `sources` {sources, quotes, verified, unverified}; without one a single `result` (the offline overview, as the ask tool returns it, with highlight spans); finally `done` {answer} or `error` {message}.',
      requestBody: { required: true, content: { 'application/json': { schema: inputSchema({ tool: askTool }) } } },
      responses: {
        '200': { description: 'event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        ...errorResponses,
      },
    },
  };
  paths['/api/health'] = {
    get: { operationId: 'health', summary: 'Server, index and LLM status (never 5xx while the process is up)', responses: ok('status') },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'priors',
      version: VERSION,
      description:
        "Search and cite an author's own writing archive. Every tool endpoint validates with the same schemas as the CLI and MCP server.",
    },
    paths,
    components: {
      schemas: { Error: errorSchema },
      ...(opts.auth ? { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } } : {}),
    },
    ...(opts.auth ? { security: [{ token: [] }] } : {}),
  };
}
