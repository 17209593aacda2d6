import type { Features, PolicyFeatures } from '../../environment-kind.ts';

const VERB = /^\s*(go to|take|put|open|close|toggle|clean|heat|cool|use|examine|look|inventory|slice)\b\s*(.*)$/i;
const FILLER = new Set(['put', 'some', 'a', 'an', 'the', 'in', 'on', 'it', 'and', 'them', 'then', 'your', 'task', 'is', 'to', 'two',
  'look', 'at', 'under', 'with', 'clean', 'hot', 'cool', 'cold', 'heat', 'examine', 'find', 'place']);

/** The content words of an ALFWorld goal ("put some apple in cabinet 1." → apple, cabinet), numbers left out. */
function goalWords(instruction: string): Set<string> {
  return new Set((instruction.toLowerCase().match(/[a-z]+/g) ?? []).filter((w) => !FILLER.has(w)));
}

/** `take apple 1 from countertop 2` → object `apple 1`, place `countertop 2`; `go to desk 1` → place `desk 1`. */
function readCommand(action: string): { verb: string; object?: string; place?: string } {
  const match = VERB.exec(action.toLowerCase());
  if (!match) return { verb: 'other' };
  const verb = match[1].replace(' ', '-');
  const rest = match[2].trim();
  if (verb === 'go-to' || verb === 'examine' || verb === 'open' || verb === 'close') return { verb, place: rest || undefined };
  const split = /^(.*?)\s+(?:from|in\/on|in|on|with)\s+(.*)$/.exec(rest);
  return split ? { verb, object: split[1], place: split[2] } : { verb, object: rest || undefined };
}

/** The name without its number: `cabinet 1` → `cabinet`. */
function base(name: string | undefined): string | undefined {
  return name?.replace(/\s+\d+$/, '').trim();
}

/**
 * ALFWorld features for the built-in policy, from the goal's object and receptacle words matched in each command:
 * the command's verb; whether the object it takes or puts is the one the goal names; whether the place it goes to
 * or puts into is the goal's receptacle; whether a `take` names an object the current observation shows; for
 * `go to`, whether the place is new in the episode and whether the agent holds the asked object (taken and not put
 * down since); and a repeat indicator for any other command sent before. Which of them matter is learned.
 *
 * @example
 * alfworldFeatures.actionFeatures('put some apple in cabinet 1.', 'You arrive at desk 1. On the desk 1, you see a apple 1.',
 *   ['take apple 1 from desk 1', 'go to cabinet 1'], ['go to desk 1']);
 */
export const alfworldFeatures: PolicyFeatures = {
  featureSet: 'alfworld-v1',
  actionFeatures(instruction, state, actions, earlier) {
    const goal = goalWords(instruction);
    const observation = state.toLowerCase();
    const visited = new Set<string>();
    let holding: string | undefined;
    for (const action of earlier) {
      if (action === null) continue;
      const command = readCommand(action);
      if (command.verb === 'go-to' && command.place) visited.add(command.place);
      if (command.verb === 'take') holding = command.object;
      if (command.verb === 'put') holding = undefined;
    }
    const sent = new Set(earlier.filter((a): a is string => a !== null).map((a) => a.trim().toLowerCase()));
    const holdsAsked = holding !== undefined && goal.has(base(holding) ?? '') ? 1 : 0;
    return actions.map((action): Features => {
      const command = readCommand(action);
      const v = `alf:${command.verb}`;
      const objectAsked = command.object !== undefined && goal.has(base(command.object) ?? '') ? 1 : 0;
      const placeAsked = command.place !== undefined && goal.has(base(command.place) ?? '') ? 1 : 0;
      if (command.verb === 'go-to') {
        const fresh = command.place !== undefined && !visited.has(command.place) ? 1 : 0;
        return [[v, 1], [`${v}*new`, fresh], [`${v}*target`, placeAsked], [`${v}*target*holding`, placeAsked * holdsAsked],
          [`${v}*new*empty-handed`, fresh * (1 - holdsAsked)]];
      }
      if (sent.has(action.trim().toLowerCase())) return [[`${v}:repeat`, 1]];
      const seen = command.object !== undefined && observation.includes(command.object) ? 1 : 0;
      return [[v, 1], [`${v}*object`, objectAsked], [`${v}*place`, placeAsked], [`${v}*object*place`, objectAsked * placeAsked],
        [`${v}*seen`, seen * objectAsked]];
    });
  },
};
