import { describe, expect, it } from 'vitest';
import { parseReAct } from '../../../core/dreamgym/policy/react.ts';

describe('ReAct answers', () => {
  it('reads the thought and the action of a well-formed answer', () => {
    const parsed = parseReAct('Thought: the second result is cotton and under budget.\nAction: click[P0042]');
    expect(parsed).toEqual({ ok: true, thought: 'the second result is cotton and under budget.', action: 'click[P0042]' });
  });

  it('keeps a thought that runs over several lines', () => {
    const parsed = parseReAct('Thought: first line\nsecond line\nAction: click[buy now]');
    expect(parsed).toMatchObject({ ok: true, thought: 'first line\nsecond line', action: 'click[buy now]' });
  });

  it.each([
    ['lower-case keys', 'thought: ok\naction: search[red shirt]', 'search[red shirt]'],
    ['backticks', 'Thought: ok\nAction: `click[next >]`', 'click[next >]'],
    ['a trailing period', 'Thought: ok\nAction: click[buy now].', 'click[buy now]'],
    ['words around the action', 'Thought: ok\nAction: I will click[m] now', 'click[m]'],
    ['markdown emphasis', '**Thought:** ok\n**Action:** search[cotton t-shirt]', 'search[cotton t-shirt]'],
    ['a space before the bracket', 'Action: click [back to search]', 'click[back to search]'],
    ['no thought at all', 'Action: click[P0001]', 'click[P0001]'],
    ['the same action twice', 'Action: click[P0001]\nAction: click[P0001]', 'click[P0001]'],
    ['free text in an environment without brackets', 'Thought: hm\nAction: go to desk 1', 'go to desk 1'],
  ])('tolerates %s', (_, reply, action) => {
    expect(parseReAct(reply)).toMatchObject({ ok: true, action });
  });

  it.each([
    ['no Action line', 'I think the red one is best, so I buy it', /no "Action:" line/],
    ['an empty action', 'Thought: hmm\nAction:   ', /empty/],
    ['two different actions', 'Thought: both\nAction: click[P1]\nAction: click[P2]', /2 different actions/],
    ['an empty answer', '', /no "Action:" line/],
  ])('has no action when the answer has %s', (_, reply, problem) => {
    const parsed = parseReAct(reply);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });
});
