import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { INVALID_REQUEST, PARSE_ERROR } from './errors.js';

/** The largest message read from stdin; the SDK's transport has the same limit but closes (exit 0) past it. */
export const MAX_STDIO_MESSAGE_BYTES = 10 * 1024 * 1024;

/** Bytes kept from each end of an oversized message, to find its id. */
const KEEP = 1024;

/**
 * MCP over newline-delimited JSON on stdin/stdout, like the SDK's StdioServerTransport, except for bad input:
 * a message over the size limit is skipped as it streams in (memory stays bounded) and answered with a
 * JSON-RPC error carrying its id when the id can be found at either end; a line that is not JSON-RPC gets a
 * parse error. The server keeps serving in both cases — the SDK's transport closed, and the server exited 0.
 */
export class BoundedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private parts: Buffer[] = [];
  private size = 0;
  /** Set while skipping an oversized message: its first bytes, its last bytes so far and its length. */
  private skipping: { head: Buffer; tail: Buffer; bytes: number } | null = null;
  private started = false;

  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
    private readonly maxBytes = MAX_STDIO_MESSAGE_BYTES,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    if (this.started) throw new Error('BoundedStdioTransport already started');
    this.started = true;
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
  }

  private readonly onInputError = (err: Error) => this.onerror?.(err);

  private readonly onData = (chunk: Buffer) => {
    let from = 0;
    while (from < chunk.length) {
      const nl = chunk.indexOf(10, from);
      this.take(chunk.subarray(from, nl === -1 ? chunk.length : nl));
      if (nl === -1) return;
      this.endMessage();
      from = nl + 1;
    }
  };

  private take(part: Buffer): void {
    if (part.length === 0) return;
    if (this.skipping) {
      this.skipping.bytes += part.length;
      this.skipping.tail = lastBytes(Buffer.concat([this.skipping.tail, part.subarray(-KEEP)]), KEEP);
      return;
    }
    if (this.size + part.length > this.maxBytes) {
      const head = Buffer.concat([...this.parts, part.subarray(0, KEEP)]).subarray(0, KEEP);
      this.skipping = { head, tail: lastBytes(part, KEEP), bytes: this.size + part.length };
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(part);
    this.size += part.length;
  }

  private endMessage(): void {
    const skipped = this.skipping;
    if (skipped) {
      this.skipping = null;
      const id = oversizedMessageId(skipped.head.toString('utf8'), skipped.tail.toString('utf8'));
      const message = `message of ${skipped.bytes} bytes is over the ${this.maxBytes}-byte limit (${this.maxBytes / 2 ** 20} MiB); it was skipped`;
      this.log(message);
      void this.reply(id, INVALID_REQUEST, message);
      return;
    }
    const line = Buffer.concat(this.parts).toString('utf8').replace(/\r$/, '');
    this.parts = [];
    this.size = 0;
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(line));
    } catch (err) {
      const json = !(err instanceof SyntaxError);
      const why = json ? 'not a JSON-RPC 2.0 message' : `not valid JSON (${err.message})`;
      this.log(`ignored a message that is ${why}`);
      void this.reply(null, json ? INVALID_REQUEST : PARSE_ERROR, `the message is ${why}`);
      return;
    }
    this.onmessage?.(message);
  }

  private reply(id: RequestId | null, code: number, message: string): Promise<void> {
    return this.write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.write(`${JSON.stringify(message)}\n`);
  }

  private write(json: string): Promise<void> {
    return new Promise((resolve) => {
      if (this.output.write(json)) resolve();
      else this.output.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    if (this.input.listenerCount('data') === 0) this.input.pause();
    this.parts = [];
    this.skipping = null;
    this.onclose?.();
  }
}

function lastBytes(buf: Buffer, n: number): Buffer {
  return buf.length > n ? buf.subarray(buf.length - n) : buf;
}

const ID_VALUE = String.raw`(-?\d+|"(?:[^"\\]|\\.)*")`;
/** `{"jsonrpc":"2.0","id":7,…` — id among the leading members. */
const HEAD_ID = new RegExp(String.raw`^\s*\{(?:\s*"(?:jsonrpc|method)"\s*:\s*"[^"]*"\s*,)*\s*"id"\s*:\s*${ID_VALUE}`);
/** `…,"jsonrpc":"2.0","id":7}` — the SDK's clients put the id last. */
const TAIL_ID = new RegExp(String.raw`"id"\s*:\s*${ID_VALUE}\s*\}\s*$`);

/**
 * The id of a message too large to parse, read from its first and last bytes, so the client's pending request
 * gets its error instead of waiting forever; null when neither end shows one.
 */
export function oversizedMessageId(head: string, tail: string): RequestId | null {
  const m = HEAD_ID.exec(head) ?? TAIL_ID.exec(tail.replace(/\r$/, ''));
  if (!m?.[1]) return null;
  try {
    const id: unknown = JSON.parse(m[1]);
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}
