import { type Command, InvalidArgumentError, Option } from 'commander';
import { type ToolDefinition, toolJsonSchema } from '../tools/tool.js';
import { listFlag } from './parse-flags.js';

/** The parts of a field's JSON Schema (from the tool's zod schema) that shape its flag. */
interface FieldSchema {
  type?: string;
  enum?: string[];
  default?: unknown;
  description?: string;
}

export interface SchemaOptionsSpec {
  /** Fields the command fills from its arguments (a query, a docId:lines reference), not offered as flags. */
  omit?: readonly string[];
  /** Flag names of the documented CLI where they differ from the kebab-cased field (`documents` → `--docs`). */
  flagNames?: Readonly<Record<string, string>>;
  /** A one-letter alias, e.g. `{ k: 'k' }` for `-k`. */
  short?: Readonly<Record<string, string>>;
}

export interface SchemaOptions {
  /** Add one option per schema field to the command. */
  add(cmd: Command): Command;
  /** The parsed flags as tool input, under the schema's field names (flags not given are left out). */
  input(flags: Record<string, unknown>): Record<string, unknown>;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function wholeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
}

const repeat = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Tools a field description points to, by the name an LLM or MCP client calls, and the command a CLI user types
 * for them: descriptions are written once for every front end, and `list_roots` is no command.
 */
const CLI_COMMANDS: Record<string, string> = { list_roots: '`priors roots list`' };
const cliWording = (text: string) => text.replace(/\b(list_roots)\b/g, (name) => CLI_COMMANDS[name] ?? name);

/**
 * A tool's CLI options, generated from its zod schema (through the JSON Schema the MCP server advertises too):
 * names, descriptions, types, allowed values and defaults are said once, in src/tools, and every front end
 * agrees. The values are checked again by the schema when the tool runs, as for every other caller.
 */
export function schemaOptions(tool: ToolDefinition, spec: SchemaOptionsSpec = {}): SchemaOptions {
  const properties = (toolJsonSchema(tool).properties ?? {}) as Record<string, FieldSchema>;
  const fields = Object.entries(properties)
    .filter(([field]) => !spec.omit?.includes(field))
    .map(([field, schema]) => {
      const name = spec.flagNames?.[field] ?? kebab(field);
      const flags = `${spec.short?.[field] ? `-${spec.short[field]}, ` : ''}--${name}`;
      const notes = [
        schema.type === 'array' ? 'repeatable or comma-separated' : '',
        schema.default !== undefined && !/\bdefault\b/.test(schema.description ?? '') ? `default ${String(schema.default)}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      const description = `${cliWording(schema.description ?? field)}${notes ? ` (${notes})` : ''}`;
      let option: Option;
      if (schema.type === 'boolean') option = new Option(flags, description);
      else if (schema.type === 'integer' || schema.type === 'number')
        option = new Option(`${flags} <n>`, description).argParser(wholeNumber);
      else if (schema.type === 'array') option = new Option(`${flags} <${name}>`, description).argParser(repeat);
      else if (schema.enum) option = new Option(`${flags} <${name}>`, description).choices(schema.enum);
      else option = new Option(`${flags} <${name}>`, description);
      return { field, attribute: camel(name), array: schema.type === 'array', option };
    });
  return {
    add(cmd) {
      for (const f of fields) cmd.addOption(f.option);
      return cmd;
    },
    input(flags) {
      const input: Record<string, unknown> = {};
      for (const f of fields) {
        const value = flags[f.attribute];
        if (value !== undefined) input[f.field] = f.array ? listFlag(value as string[]) : value;
      }
      return input;
    },
  };
}
