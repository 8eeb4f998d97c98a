/**
 * Writes `priors/tiny-test-bert`, the embedding model the default test tier runs on, so tests need
 * nothing beside the clone. It has the I/O contract of a BERT-family transformers.js model (WordPiece
 * tokenizer; ONNX inputs `input_ids`, `attention_mask`, `token_type_ids`; output `last_hidden_state`)
 * and the static architecture of ../shared/models (last_hidden_state[b,s,:] = E[input_ids[b,s]] ·
 * attention_mask[b,s]), with seeded random rows and a reduced vocabulary: ASCII characters as word
 * starts and `##` continuations (so every ASCII word tokenizes), common suffixes, and the sample
 * corpus's words.
 * Vectors carry no meaning beyond shared tokens; use it for mechanics, never for quality.
 * The ONNX protobuf is written by hand (a dozen fields), which needs no dependency. About 0.3 MB each.
 *
 * Usage: node --import tsx scripts/make-tiny-model.ts [<model-dir>]
 *   writes <model-dir>/priors/tiny-test-bert (32-d) and <model-dir>/priors/tiny-test-bert-16 (16-d).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_CORPUS } from './lib/paths.js';

interface TinyModelSpec {
  id: string;
  dim: number;
  seed: number;
}

/** The default test model; a second one of another dimension exists for tests that switch models. */
export const TINY_TEST_MODEL: TinyModelSpec = { id: 'priors/tiny-test-bert', dim: 32, seed: 7 };
export const OTHER_TEST_MODEL: TinyModelSpec = { id: 'priors/tiny-test-bert-16', dim: 16, seed: 11 };

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const CHARS = [...'abcdefghijklmnopqrstuvwxyz0123456789', ...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
// Whole words keep typical passages far below the 512-token limit (characters alone would truncate them).
const SUFFIXES = [
  's',
  'es',
  'ed',
  'ing',
  'ly',
  'er',
  'ers',
  'est',
  'ion',
  'tion',
  'tions',
  'ment',
  'ness',
  'al',
  'ity',
  'ive',
  'ize',
  'ise',
];

/**
 * Whole words: those used at least twice in the sample corpus, so the tests' passages tokenize into
 * about as many tokens as with a real vocabulary (characters alone would make chunking slow and
 * truncate passages), while rarer words still exercise `##` pieces.
 */
function corpusWords(): string[] {
  const counts = new Map<string, number>();
  for (const rel of readdirSync(SAMPLE_CORPUS, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!rel.endsWith('.md')) continue;
    for (const w of readFileSync(path.join(SAMPLE_CORPUS, rel), 'utf8')
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? []) {
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return [...counts]
    .filter(([, n]) => n >= 2)
    .map(([w]) => w)
    .sort();
}

/** Token strings in id order: specials first, then unique entries. */
function tinyVocab(): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of [...SPECIALS, ...CHARS, ...CHARS.map((c) => `##${c}`), ...SUFFIXES.map((s) => `##${s}`), ...corpusWords()]) {
    if (!seen.has(t)) {
      seen.add(t);
      out.push(t);
    }
  }
  return out;
}

/** mulberry32 + Box–Muller: a seeded N(0,1) stream, the same on every machine. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

// --- protobuf wire format (only what ONNX ModelProto needs) ---
type Field = Buffer;
function varint(n: bigint): Buffer {
  let v = BigInt.asUintN(64, n);
  const bytes: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    bytes.push(b);
  } while (v);
  return Buffer.from(bytes);
}
const key = (field: number, wire: number) => varint(BigInt((field << 3) | wire));
const int = (field: number, n: number | bigint): Field => Buffer.concat([key(field, 0), varint(BigInt(n))]);
const bytes = (field: number, data: Buffer | string): Field => {
  const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([key(field, 2), varint(BigInt(b.length)), b]);
};
const msg = (field: number, ...parts: Field[]): Field => bytes(field, Buffer.concat(parts));

// ONNX enums and field numbers (onnx/onnx.proto3).
const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;
const node = (op: string, name: string, inputs: string[], outputs: string[], ...attrs: Field[]): Field =>
  msg(1, ...inputs.map((i) => bytes(1, i)), ...outputs.map((o) => bytes(2, o)), bytes(3, name), bytes(4, op), ...attrs);
const intAttr = (name: string, value: number): Field => msg(5, bytes(1, name), int(3, value), int(20, ATTR_INT));
const tensor = (name: string, dataType: number, dims: number[], raw: Buffer): Field =>
  msg(5, ...dims.map((d) => int(1, d)), int(2, dataType), bytes(8, name), bytes(9, raw));
const dim = (d: number | string): Field => (typeof d === 'number' ? msg(1, int(1, d)) : msg(1, bytes(2, d)));
const valueInfo = (field: number, name: string, elemType: number, dims: (number | string)[]): Field =>
  msg(field, bytes(1, name), msg(2, msg(1, int(1, elemType), msg(2, ...dims.map(dim)))));

function onnxModel(spec: TinyModelSpec, vocabSize: number): Buffer {
  const next = gaussian(spec.seed);
  const table = new Float32Array(vocabSize * spec.dim);
  // Row 0 is [PAD]: zero, as in the shared stand-ins.
  for (let i = spec.dim; i < table.length; i++) table[i] = next();
  const minusOne = Buffer.alloc(8);
  minusOne.writeBigInt64LE(-1n);
  const graph = msg(
    7,
    node('Gather', 'gather_emb', ['embeddings.weight', 'input_ids'], ['tok_emb'], intAttr('axis', 0)),
    node('Cast', 'cast_mask', ['attention_mask'], ['mask_f'], intAttr('to', FLOAT)),
    node('Unsqueeze', 'unsq_mask', ['mask_f', 'unsq_axes'], ['mask_3d']),
    node('Mul', 'apply_mask', ['tok_emb', 'mask_3d'], ['last_hidden_state']),
    bytes(2, spec.id),
    tensor('embeddings.weight', FLOAT, [vocabSize, spec.dim], Buffer.from(table.buffer)),
    tensor('unsq_axes', INT64, [1], minusOne),
    valueInfo(11, 'input_ids', INT64, ['batch_size', 'sequence_length']),
    valueInfo(11, 'attention_mask', INT64, ['batch_size', 'sequence_length']),
    valueInfo(11, 'token_type_ids', INT64, ['batch_size', 'sequence_length']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch_size', 'sequence_length', spec.dim]),
  );
  return Buffer.concat([
    int(1, 8), // ir_version
    bytes(2, 'priors scripts/make-tiny-model.ts'),
    bytes(6, `tiny random static-embedding BERT-format test model (dim ${spec.dim}, seed ${spec.seed})`),
    graph,
    msg(8, bytes(1, ''), int(2, 14)), // opset ai.onnx 14
  ]);
}

function tokenizerJson(vocab: string[]): unknown {
  const id = (t: string) => vocab.indexOf(t);
  const special = (t: string) => ({
    id: id(t),
    content: t,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: { direction: 'Right', max_length: 512, strategy: 'LongestFirst', stride: 0 },
    padding: null,
    added_tokens: SPECIALS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

/** The files of the model folder, by relative path. */
function tinyModelFiles(spec: TinyModelSpec): Record<string, Buffer | string> {
  const vocab = tinyVocab();
  const model = onnxModel(spec, vocab.length);
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  return {
    'config.json': json({
      _name_or_path: spec.id,
      architectures: ['BertModel'],
      model_type: 'bert',
      hidden_size: spec.dim,
      vocab_size: vocab.length,
      max_position_embeddings: 512,
      num_hidden_layers: 0,
      num_attention_heads: 1,
      intermediate_size: spec.dim,
      hidden_act: 'gelu',
      type_vocab_size: 2,
      layer_norm_eps: 1e-12,
      pad_token_id: 0,
      static_embedding: true,
    }),
    'tokenizer_config.json': json({
      clean_up_tokenization_spaces: true,
      cls_token: '[CLS]',
      do_basic_tokenize: true,
      do_lower_case: true,
      mask_token: '[MASK]',
      model_max_length: 512,
      pad_token: '[PAD]',
      sep_token: '[SEP]',
      strip_accents: null,
      tokenize_chinese_chars: true,
      tokenizer_class: 'BertTokenizer',
      unk_token: '[UNK]',
    }),
    'special_tokens_map.json': json({
      cls_token: '[CLS]',
      mask_token: '[MASK]',
      pad_token: '[PAD]',
      sep_token: '[SEP]',
      unk_token: '[UNK]',
    }),
    'tokenizer.json': json(tokenizerJson(vocab)),
    'onnx/model.onnx': model,
    // The same file under the q8 name (as ../shared/models does), so a model priors has no settings
    // for — which it loads as q8 — works too.
    'onnx/model_quantized.onnx': model,
  };
}

function sameContent(file: string, content: Buffer | string): boolean {
  return existsSync(file) && readFileSync(file).equals(Buffer.from(content));
}

/**
 * Writes a model under `<modelDir>/<id>` and returns that folder. The folder is built beside its
 * final place and renamed in, so a reader never sees half a model.
 */
export function makeTinyModel(modelDir: string, spec: TinyModelSpec = TINY_TEST_MODEL): string {
  const target = path.join(modelDir, spec.id);
  const files = Object.entries(tinyModelFiles(spec));
  // Already there (another test run made it): leave it, a reader may have it open.
  if (files.every(([file, content]) => sameContent(path.join(target, file), content))) return target;
  mkdirSync(path.dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.tmp-`);
  for (const [file, content] of files) {
    mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
    writeFileSync(path.join(staging, file), content);
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? 'test-artifacts/models');
  for (const spec of [TINY_TEST_MODEL, OTHER_TEST_MODEL]) console.log(makeTinyModel(dir, spec));
}
