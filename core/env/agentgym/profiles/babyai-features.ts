import type { Features, PolicyFeatures } from '../../environment-kind.ts';
import { babyaiActionObject } from './babyai-state.ts';

const VERB = /^\s*(turn left|turn right|move forward|go to|pickup|pick up|drop|toggle|check)/i;

/** The mission's verb and object: `pick up the blue key` → `pick-up`, `blue key`. */
function mission(instruction: string): { verb: string; object: string | undefined } {
  const match = /^\s*(go to|pick up|open|put)\s+(?:the|a|an)\s+([a-z]+ [a-z]+)/i.exec(instruction);
  return match ? { verb: match[1].toLowerCase().replace(' ', '-'), object: match[2].toLowerCase() } : { verb: 'other', object: undefined };
}

/**
 * BabyAI features for the built-in policy, from the mission ("go to the red ball", "pick up the blue key") and the
 * offered actions: the action's verb; for `go to` and `pickup`, whether its object is the mission's (colour and type,
 * or only one of them), crossed with the mission's verb; for turns and moves, whether the mission's object is out of
 * view (no offered action names it) and how many turns came just before; checking the actions again is only its
 * repeat indicator (v1 shared the check's weight with its repeats, and a greedy policy that had learned to check once
 * kept checking). Which of them matter is learned.
 *
 * @example
 * babyaiFeatures.actionFeatures('go to the red ball', state, ['turn left', 'go to red ball 1'], []);
 */
export const babyaiFeatures: PolicyFeatures = {
  featureSet: 'babyai-v2',
  actionFeatures(instruction, _state, actions, earlier) {
    const goal = mission(instruction);
    const named = (action: string) => babyaiActionObject(action)?.toLowerCase().replace(/\s+\d+$/, '');
    const inView = goal.object !== undefined && actions.some((a) => named(a) === goal.object);
    let turns = 0;
    for (let i = earlier.length - 1; i >= 0 && /^turn /i.test(earlier[i] ?? ''); i--) turns++;
    const checked = earlier.some((a) => a !== null && /^check/i.test(a));
    return actions.map((action): Features => {
      const verb = VERB.exec(action)?.[1].toLowerCase().replace(' ', '-') ?? 'other';
      const v = `baby:${verb === 'pick-up' ? 'pickup' : verb}`;
      if (verb === 'check') return checked ? [[`${v}:repeat`, 1]] : [[v, 1]];
      const object = named(action);
      if (object !== undefined) {
        const [color, type] = object.split(' ');
        const [goalColor, goalType] = goal.object?.split(' ') ?? [];
        const exact = object === goal.object ? 1 : 0;
        return [[v, 1], [`${v}*target`, exact], [`${v}*target*${goal.verb}`, exact],
          [`${v}*color`, color === goalColor && type !== goalType ? 1 : 0], [`${v}*type`, type === goalType && color !== goalColor ? 1 : 0]];
      }
      const unseen = inView ? 0 : 1;
      return [[v, 1], [`${v}*unseen`, unseen], [`${v}*after-turns`, Math.min(turns, 4) / 4], [`${v}*in-view`, 1 - unseen]];
    });
  },
};
