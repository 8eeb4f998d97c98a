import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexStore } from '../../src/index/store.js';
import { ingest } from '../../src/ingest/ingest.js';
import { Retriever } from '../../src/search/retriever.js';
import { TitleIndex, titleWords } from '../../src/search/title-match.js';
import { CORPUS } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

describe('titleWords', () => {
  it('compares words as a person types them: case, accents, possessives, plurals, "versus"', () => {
    expect(titleWords("Tülu 3: Big Tech's LLM evals")).toEqual(['tulu', '3', 'big', 'tech', 'llm', 'eval']);
    expect(titleWords('my take on DPO versus PPO')).toEqual(['dpo', 'vs', 'ppo']);
    expect(titleWords('the Grok 3 post')).toEqual(['grok', '3']);
  });
});

describe('TitleIndex.named', () => {
  const titles = new TitleIndex([
    { docId: 'a', title: 'Llama 2: an incredible open LLM' },
    { docId: 'b', title: 'Llama 3.2 Vision and Molmo' },
    { docId: 'c', title: 'AI Safety Culture Confronts Capitalism' },
    { docId: 'd', title: 'Why reasoning models will generalize' },
    { docId: 'e', title: 'The rise of reasoning machines' },
    { docId: 'f', title: 'Quick recap on the state of reasoning' },
    { docId: 'g', title: 'Recent reasoning research' },
    { docId: 'h', title: 'Closed-API vs open-source continues' },
  ]);

  it('finds a title holding a short request as a phrase, not its words apart', () => {
    expect([...titles.named('Llama 2').keys()]).toEqual(['a']);
    expect(titles.named('Llama 2').get('a')).toBeCloseTo(2 / 5);
  });

  it('lets a longer request typed from memory miss or change one word', () => {
    expect([...titles.named('AI safety culture vs capitalism').keys()]).toEqual(['c']);
    expect([...titles.named('why reasoning models generalize').keys()]).toEqual(['d']);
  });

  it('names nothing when the words are a topic many titles share, or in no title', () => {
    expect(titles.named('reasoning').size).toBe(0);
    // One word is a topic however few titles have it.
    expect(titles.named('Molmo').size).toBe(0);
    expect(titles.named('reward models for open LLMs').size).toBe(0);
    // One word missing is a slip of memory only when it is a title word: "TNFAIP3" is what the request is about.
    expect(titles.named('TNFAIP3 safety culture confronts capitalism').size).toBe(0);
  });
});

/** On the sample corpus, full text only: the post a request names by its title is listed first. */
describe('a request naming a post by its title', () => {
  let work: string;
  let store: IndexStore;

  beforeAll(async () => {
    work = tempDir('priors-title-');
    const index = path.join(work, 'index');
    await ingest({ roots: [CORPUS], index, embedder: null });
    store = await IndexStore.open(index);
  });
  afterAll(async () => {
    store?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('finds that post first, where the words alone rank another post above it', async () => {
    const retriever = new Retriever(store, null);
    const query = 'over-optimising the reward model';
    const first = async () => (await retriever.search({ query, k: 10 }))[0]?.docId;
    expect(await first()).toMatch(/over-optimising-the-reward-model\.md$/);
    // Without the title lift "RLHF is a patch", which says "reward model" more often, comes first.
    retriever.cueBoosts.title = 0;
    expect(await first()).not.toMatch(/over-optimising-the-reward-model\.md$/);
  });
});
