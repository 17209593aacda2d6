import type { ComposedStep, ComposeInput, KnownTransition, StateAgreement, StepComposer } from '../../environment-kind.ts';
import { babyaiActionObject, babyaiActionShape, parseBabyAIState, renderBabyAIState, type BabyAIState } from './babyai-state.ts';

/** The mission's verb and object: `go to the red ball` → [`go to`, `red ball`]. */
function mission(instruction: string): [string, string] | undefined {
  const match = /^(.*?)\s+(?:the|a|an)\s+(.+)$/i.exec(instruction.trim());
  return match ? [match[1].toLowerCase(), match[2].toLowerCase()] : undefined;
}

/** An action's object without its number (`red ball 1` → `red ball`). */
const objectKind = (object: string) => object.replace(/\s+\d+$/, '').toLowerCase();

/**
 * What the built-in experience model may know of BabyAI's interface, learned from recorded transitions: the
 * server's refusal for each action shape (`drop`, `go to <object>`, …) and for actions it does not recognise, the
 * answer to "check available actions", which action verb completes which mission verb (`go to <x>` completes
 * `go to the <x>`), and what picking up and dropping do to what the agent carries. An unlisted action gets the
 * learned refusal with the room unchanged; a listed move keeps the last view of the room (the new view depends on
 * the room's geometry, which the text does not tell) with the carried object and completion updated.
 */
export function createBabyAIStepComposer(): StepComposer {
  const refusals = new Map<string, string>();
  const refusalCounts = new Map<string, number>();
  let listingTemplate: string | undefined;
  const completers = new Set<string>();
  return {
    learn(t: KnownTransition) {
      const before = parseBabyAIState(t.state);
      const after = parseBabyAIState(t.nextState);
      if (!before || !after) return;
      const object = babyaiActionObject(t.action);
      if (after.answer === 'refusal') {
        const body = object ? after.body.split(object).join('<object>') : after.body;
        refusals.set(babyaiActionShape(t.action), body);
        refusalCounts.set(body, (refusalCounts.get(body) ?? 0) + 1);
      }
      const list = before.actions.join(', ');
      if (after.answer === 'listing' && list !== '' && after.body.includes(list)) listingTemplate = after.body.replace(list, '<actions>');
      const goal = mission(t.instruction);
      if (after.completed && goal && object && objectKind(object) === goal[1]) completers.add(`${goal[0]}|${babyaiActionShape(t.action)}`);
    },
    compose(input) {
      const state = parseBabyAIState(input.state);
      if (!state) return undefined;
      const action = input.action.trim().toLowerCase();
      if (action.includes('check')) {
        if (listingTemplate === undefined) return undefined;
        return unchanged(state, listingTemplate.replace('<actions>', state.actions.join(', ')), true, 'Checking the actions lists the ones offered.');
      }
      if (!state.actions.includes(action)) {
        const object = babyaiActionObject(action);
        const learned = refusals.get(babyaiActionShape(action));
        const body = learned !== undefined && object ? learned.split('<object>').join(object) : learned ?? mostCommon(refusalCounts);
        if (body === undefined) return undefined;
        return unchanged(state, body, false, `"${action}" is not among the offered actions; the server refuses it as recorded and nothing changes.`);
      }
      return move(input, state, action, completers);
    },
  };
}

function unchanged(state: BabyAIState, body: string, valid: boolean, reasoning: string): ComposedStep {
  return { nextState: renderBabyAIState({ goal: undefined, body, completed: false, actions: state.actions }), reward: 0, done: false, valid, reasoning };
}

function mostCommon(counts: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  let most = 0;
  for (const [text, n] of counts) if (n > most) [best, most] = [text, n];
  return best;
}

/** A listed move: the last known view, with what the agent carries and whether the mission is done updated. */
function move(input: ComposeInput, state: BabyAIState, action: string, completers: ReadonlySet<string>): ComposedStep | undefined {
  const views = [input.state, ...input.history.map((h) => h.state).reverse()].map(parseBabyAIState);
  const view = views.find((v) => v?.answer === 'view');
  if (!view) return undefined;
  const object = babyaiActionObject(action);
  const picks = /^pick ?up\b/.test(action) && object !== undefined;
  let carrying = view.carrying;
  if (picks) carrying = objectKind(object);
  if (action === 'drop') carrying = null;
  const carried = carrying ? `You are carrying a ${carrying}.` : 'You are not carrying anything.';
  const body = view.body.replace(/You are (?:carrying an? [^.]+|not carrying anything)\./, carried);
  const goal = mission(input.task.instruction);
  const completed = goal !== undefined && object !== undefined && objectKind(object) === goal[1] && completers.has(`${goal[0]}|${babyaiActionShape(action)}`);
  let actions = [...state.actions];
  if (picks) {
    const at = Math.max(0, actions.findIndex((a) => a.startsWith('pickup ')));
    actions = actions.filter((a) => !a.startsWith('pickup ') && a !== 'drop');
    actions.splice(at, 0, 'drop');
  }
  if (action === 'drop') actions = actions.filter((a) => a !== 'drop');
  return {
    nextState: renderBabyAIState({ goal: undefined, body, completed, actions }), reward: completed ? 1 : 0, done: completed, valid: true,
    reasoning: `${action} is offered; the room's new view is not known from the text, so the last view is kept${completed ? ', and it completes the mission' : ''}.`,
  };
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * BabyAI next-state agreement on the parts of an answer that text alone determines, by answer kind: the same kind of
 * answer (view, listing, refusal) and the same completion; for a listing or refusal also the same text and action
 * list (the room is unchanged); for a view the same carried object. A view's object positions, wall distance and the
 * action list that follows from them are not compared (the report's `strictTextAgreement` compares whole texts).
 */
export const babyaiStateAgreement: StateAgreement = {
  name: 'babyai-answer',
  compare(predictedText, realText) {
    const real = parseBabyAIState(realText);
    const predicted = parseBabyAIState(predictedText);
    if (!real) {
      const agree = normalize(predictedText) === normalize(realText);
      return { agree, differences: agree ? [] : ['real state is not a BabyAI observation and the texts differ'] };
    }
    if (!predicted) return { agree: false, differences: ['predicted state is not a BabyAI observation'] };
    const differences: string[] = [];
    if (predicted.answer !== real.answer) differences.push(`answer: ${predicted.answer} vs ${real.answer}`);
    if (predicted.completed !== real.completed) differences.push(`completed: ${predicted.completed} vs ${real.completed}`);
    if (real.answer === 'view' && predicted.answer === 'view' && predicted.carrying !== real.carrying) {
      differences.push(`carrying: ${predicted.carrying ?? 'nothing'} vs ${real.carrying ?? 'nothing'}`);
    }
    if (real.answer !== 'view' && predicted.answer === real.answer) {
      if (normalize(predicted.body) !== normalize(real.body)) differences.push(`${real.answer} text differs`);
      if (predicted.actions.join('\n') !== real.actions.join('\n')) differences.push('available actions differ');
    }
    return { agree: differences.length === 0, differences };
  },
  label(text) {
    const state = parseBabyAIState(text);
    return !state ? 'unparsed' : state.completed ? 'completed' : state.answer;
  },
};
