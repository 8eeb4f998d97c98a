import { describe, expect, it } from 'vitest';
import { attributionMatches, findAttribution } from '../../src/text/attribution.js';
import { findDraftQuotes } from '../../src/text/draft-marks.js';
import { splitDraft } from '../../src/text/draft.js';

const WORDS = 'I think DPO versus PPO is overblown for most of the people training models';

/** Whom the draft credits with its one quote, found the way the check tool finds quotes. */
function credited(draft: string) {
  const quotes = findDraftQuotes(splitDraft(draft));
  expect(quotes, draft).toHaveLength(1);
  const q = quotes[0]!;
  return findAttribution(draft, q.start, q.end);
}

describe('findAttribution: whom a draft credits with a quote', () => {
  it.each([
    [`As Ross Taylor put it, “${WORDS}.” I agree.`, 'Ross Taylor'],
    [`As Ross put it: “${WORDS}.”`, 'Ross'],
    [`As **Ross Taylor** said: “${WORDS}.”`, 'Ross Taylor'],
    [`But Ross Taylor told me last year: "${WORDS}."`, 'Ross Taylor'],
    [`According to Ross Taylor, “${WORDS}.”`, 'Ross Taylor'],
    [`In Ross Taylor’s words: “${WORDS}.”`, 'Ross Taylor'],
    [`Ross Taylor: “${WORDS}.”`, 'Ross Taylor'],
    [`“${WORDS},” Ross Taylor said.`, 'Ross Taylor'],
    [`“${WORDS},” said Ross.`, 'Ross'],
    [`“${WORDS}” — Ross Taylor, 2024`, 'Ross Taylor'],
    [`Intro paragraph.\n\nAs my guest Ross Taylor put it:\n\n> ${WORDS}.\n`, 'Ross Taylor'],
    [`Intro paragraph.\n\n> ${WORDS}.\n> — Ross Taylor\n`, 'Ross Taylor'],
  ])('names the person: %s', (draft, name) => {
    expect(credited(draft)).toEqual({ drafted: name, who: 'name' });
  });

  it('"I said" and "my guest" are the author and the guest', () => {
    expect(credited(`As I said on the show, “${WORDS}.”`)).toEqual({ drafted: 'I', who: 'self' });
    expect(credited(`I told him: “${WORDS}.”`)).toEqual({ drafted: 'I', who: 'self' });
    expect(credited(`My guest said it plainly: “${WORDS}.”`)).toEqual({ drafted: 'my guest', who: 'guest' });
  });

  it('no attribution, or only a pronoun: nobody is credited (never a guess)', () => {
    for (const draft of [
      `Everyone in the field has heard it: “${WORDS}.”`,
      `I asked Ross about it and he said: “${WORDS}.”`,
      `When I interviewed Ross Taylor about his work, he gave the cleanest answer I have heard: “${WORDS}.”`,
      `Ross Taylor made the case better than I can: “${WORDS}.” That settles it.`,
      `Ross Taylor said something else. “${WORDS}.”`,
      `In 2024, “${WORDS}.”`,
      `Everyone said it that year: “${WORDS}.”`,
    ])
      expect(credited(draft), draft).toBeNull();
  });
});

describe('attributionMatches: the drafted name against the archive speaker', () => {
  const name = (drafted: string) => ({ drafted, who: 'name' as const });
  it('full name, surname or first name alone, any case', () => {
    expect(attributionMatches(name('Ross Taylor'), 'Ross Taylor', 'guest')).toBe(true);
    expect(attributionMatches(name('taylor'), 'Ross Taylor', 'guest')).toBe(true);
    expect(attributionMatches(name('Ross'), 'Ross Taylor', 'guest')).toBe(true);
    expect(attributionMatches(name('Ross Taylor'), 'Nathan Lambert', 'host')).toBe(false);
    expect(attributionMatches(name('Ross'), 'Nathan Lambert', 'host', ['Ross Taylor'])).toBe(true);
  });
  it('"I" is the host or author, "my guest" a guest', () => {
    expect(attributionMatches({ drafted: 'I', who: 'self' }, 'Nathan Lambert', 'host')).toBe(true);
    expect(attributionMatches({ drafted: 'I', who: 'self' }, 'Ross Taylor', 'guest')).toBe(false);
    expect(attributionMatches({ drafted: 'my guest', who: 'guest' }, 'Ross Taylor', 'guest')).toBe(true);
    expect(attributionMatches({ drafted: 'my guest', who: 'guest' }, 'Nathan Lambert', 'host')).toBe(false);
  });
});
