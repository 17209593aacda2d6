/**
 * ReAct answers: "Thought: <reasoning>\nAction: <action>". A reply with no Action line, an empty action, or two
 * different actions has no action: the rollout then takes the environment's invalid-action path (failure state,
 * reward 0) rather than guessing.
 */
export type ReActParse =
  | { readonly ok: true; readonly thought: string; readonly action: string }
  | { readonly ok: false; readonly thought: string; readonly problem: string };

const ACTION_LINE = /^[\s>*_#-]*action\s*(?:\d+\s*)?[:：]\s*(.*)$/i;
const THOUGHT = /thought\s*(?:\d+\s*)?[:：]\s*([\s\S]*?)(?=^[\s>*_#-]*action\s*(?:\d+\s*)?[:：]|$(?![\s\S]))/im;
/** `verb[argument]`, the action shape of WebShop-like and AgentGym environments. */
const BRACKETED = /[a-z_]+\s*\[[^\]\n]*\]/i;

/**
 * @example
 * parseReAct('Thought: the red one fits.\nAction: click[P0042]'); // { ok: true, thought: 'the red one fits.', action: 'click[P0042]' }
 * parseReAct('I think I will buy it');                          // { ok: false, problem: 'no "Action:" line', … }
 */
export function parseReAct(reply: string): ReActParse {
  const thought = THOUGHT.exec(reply)?.[1]?.trim() ?? '';
  const actions = new Set<string>();
  for (const line of reply.split('\n')) {
    const match = ACTION_LINE.exec(line);
    if (match) actions.add(cleanAction(match[1]));
  }
  actions.delete('');
  if (actions.size === 0) {
    const hasLine = reply.split('\n').some((line) => ACTION_LINE.test(line));
    return { ok: false, thought, problem: hasLine ? 'the "Action:" line is empty' : 'no "Action:" line' };
  }
  if (actions.size > 1) return { ok: false, thought, problem: `${actions.size} different actions in one answer` };
  return { ok: true, thought, action: [...actions][0] };
}

/** Strips what models wrap actions in (backticks, quotes, a trailing period) and keeps `verb[arg]` when present. */
function cleanAction(text: string): string {
  const stripped = text.trim().replace(/^[`'"*]+|[`'"*]+$/g, '').trim();
  const bracketed = BRACKETED.exec(stripped);
  if (bracketed) return bracketed[0].replace(/^([a-z_]+)\s+\[/i, '$1[');
  return stripped.replace(/[.。]+$/, '').trim();
}
