import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';

/** One conversation turn of AgentGym's AgentTraj format. */
const TurnSchema = z.object({
  from: z.enum(['human', 'gpt']),
  value: z.string(),
  loss: z.boolean().nullish(),
});

/** One AgentTraj record: `item_id` (e.g. `webshop_5238`) and the conversation, the agent's actions on `Action:` lines. */
export const AgentTrajRecordSchema = z.object({
  item_id: z.union([z.string(), z.number()]),
  conversations: z.array(TurnSchema).min(1),
});
export type AgentTrajRecord = z.infer<typeof AgentTrajRecordSchema>;

/** What an import replays: the server session id, the actions in order, and where the record came from. */
export interface ExpertScript {
  readonly id: string;
  readonly sessionId: number;
  readonly actions: string[];
}

/**
 * The action of one agent turn: the text after its last `Action:` (on the same line or the next non-empty one),
 * or undefined for turns without one (the conversation's opening "Ok.").
 *
 * @example
 * actionOfTurn('Thought:\nI should search.\n\nAction:\nsearch[red t-shirt]'); // 'search[red t-shirt]'
 */
export function actionOfTurn(value: string): string | undefined {
  const at = value.toLowerCase().lastIndexOf('action:');
  if (at === -1) return undefined;
  const rest = value.slice(at + 'action:'.length).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return rest[0]?.replace(/<\/s>$/, '').trim() || undefined;
}

/**
 * Parses an AgentTraj file (JSONL, or one JSON array as AgentGym publishes it) into expert scripts. The session id
 * is the trailing number of `item_id`; a record without one, or without any action, is an InvalidInputError naming
 * its line.
 */
export function parseAgentTraj(text: string): ExpertScript[] {
  const trimmed = text.trim();
  const rows: { line: number; value: unknown }[] = [];
  if (trimmed.startsWith('[')) {
    let all: unknown;
    try {
      all = JSON.parse(trimmed);
    } catch (error) {
      throw new InvalidInputError(`AgentTraj file is not valid JSON: ${(error as Error).message}`);
    }
    (all as unknown[]).forEach((value, i) => rows.push({ line: i + 1, value }));
  } else {
    trimmed.split('\n').forEach((raw, i) => {
      if (raw.trim() === '') return;
      try {
        rows.push({ line: i + 1, value: JSON.parse(raw) });
      } catch {
        throw new InvalidInputError(`AgentTraj line ${i + 1} is not JSON`);
      }
    });
  }
  return rows.map(({ line, value }) => {
    const parsed = AgentTrajRecordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(`AgentTraj record ${line} is malformed at "${issue.path.join('.')}": ${issue.message}`);
    }
    const id = String(parsed.data.item_id);
    const match = /(\d+)\s*$/.exec(id);
    if (!match) throw new InvalidInputError(`AgentTraj record ${line}: item_id "${id}" has no session number`);
    const actions = parsed.data.conversations.filter((t) => t.from === 'gpt').flatMap((t) => actionOfTurn(t.value) ?? []);
    if (actions.length === 0) throw new InvalidInputError(`AgentTraj record ${line} (item ${id}) has no "Action:" line`);
    return { id, sessionId: Number(match[1]), actions };
  });
}
