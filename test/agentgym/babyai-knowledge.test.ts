import { describe, expect, it } from 'vitest';
import type { KnownTransition } from '../../core/env/environment-kind.ts';
import { babyaiStateAgreement, createBabyAIStepComposer } from '../../core/env/agentgym/profiles/babyai-knowledge.ts';
import { parseBabyAIState } from '../../core/env/agentgym/profiles/babyai-state.ts';
import { BabyAIEpisode } from '../fixtures/babyai/world.ts';

/** The observation the BabyAI fixture server answers: the text, then the action list. */
const observed = (episode: BabyAIEpisode, text: string) => `${text}\nAvailable actions: [${[...episode.actions.keys()].map((a) => `"${a}"`).join(', ')}]`;

/** Plays `script` (actions, or a function of the offered ones) on level `index`, as recorded transitions. */
function play(index: number, script: ((offered: string[]) => string)[]): KnownTransition[] {
  const episode = new BabyAIEpisode(index);
  let state = observed(episode, `Your goal: ${episode.goal}\n${episode.description}`);
  const out: KnownTransition[] = [];
  for (const pick of script) {
    const offered = [...episode.actions.keys()];
    const action = pick(offered);
    const nextState = observed(episode, episode.step(action));
    out.push({ state, action, nextState, reward: episode.done ? 1 : 0, done: episode.done, valid: offered.includes(action),
      instruction: episode.goal, source: 'offline', admissibleActions: offered });
    state = nextState;
    if (episode.done) break;
  }
  return out;
}

const target = (episode: BabyAIEpisode) => (offered: string[]) => offered.find((a) => a.startsWith(`go to ${episode.goal.replace(/^go to the |^pick up the /, '')}`)) ?? 'turn left';
/** Checks the actions, two refused actions, then heads for the mission's object (turning left until it is in view). */
const script = (index: number) => [() => 'check available actions', () => 'drop', () => 'pick up nothing', ...Array(4).fill(target(new BabyAIEpisode(index)))];

describe('BabyAI knowledge of the built-in experience model', () => {
  it('reads observations into answer kind, completion, what is carried and the action list', () => {
    const [check, drop] = play(880, script(880));
    expect(parseBabyAIState(check.state)).toMatchObject({ goal: 'go to the red ball', answer: 'view', carrying: null, completed: false });
    expect(parseBabyAIState(check.nextState)).toMatchObject({ answer: 'listing', goal: undefined });
    expect(parseBabyAIState(drop.nextState)).toMatchObject({ answer: 'refusal', body: 'You cannot drop the object, as you are not carrying anything.' });
    expect(parseBabyAIState('no list here')).toBeUndefined();
  });

  it('predicts refusals and listings of a held-out level exactly, and a completing move as done with reward 1', () => {
    const composer = createBabyAIStepComposer();
    for (let index = 0; index < 40; index++) for (const t of play(index, script(index))) composer.learn(t);
    const heldOut = play(880, script(880));
    expect(heldOut.at(-1)!.done).toBe(true);
    for (const [i, real] of heldOut.entries()) {
      const history = heldOut.slice(0, i).map((t) => ({ state: t.state, action: t.action }));
      const predicted = composer.compose({ task: { id: '880', instruction: real.instruction }, history, state: real.state, action: real.action, exact: undefined });
      expect(predicted, real.action).toBeDefined();
      const answer = parseBabyAIState(real.nextState)!.answer;
      // The room is unchanged after a listing or a refusal, so the whole text is known; after a move only its parts are.
      if (answer !== 'view') expect(predicted!.nextState, real.action).toBe(real.nextState);
      expect(babyaiStateAgreement.compare(predicted!.nextState, real.nextState), real.action).toEqual({ agree: true, differences: [] });
      expect(predicted).toMatchObject({ valid: real.valid, done: real.done, reward: real.reward });
    }
  });

  it('disagrees on a different answer kind, completion, carried object or refusal text, never on a view\'s positions', () => {
    const played = play(880, script(880));
    const [check, drop] = played;
    const reach = played.at(-1)!;
    const view = parseBabyAIState(check.state)!;
    expect(view.answer).toBe('view');
    expect(babyaiStateAgreement.compare(check.state, drop.nextState).differences).toEqual(['answer: view vs refusal']);
    expect(babyaiStateAgreement.compare(drop.nextState.replace('cannot drop', 'can not drop'), drop.nextState).differences).toEqual(['refusal text differs']);
    expect(babyaiStateAgreement.compare(reach.state, reach.nextState).differences).toContain('completed: false vs true');
    expect(babyaiStateAgreement.compare(check.state.replace('not carrying anything', 'carrying a red key'), check.state).differences)
      .toEqual(['carrying: red key vs nothing']);
    expect(babyaiStateAgreement.compare(reach.state.replace(/\d+ steps away/, '5 steps away'), reach.state).agree).toBe(true);
    expect(babyaiStateAgreement.label(reach.nextState)).toBe('completed');
    expect(babyaiStateAgreement.compare('anything', drop.nextState).agree).toBe(false);
  });
});
