import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';
import type { Task } from '../environment.ts';

/** An AgentGym task: the server's session id (its task index) travels in the goal. */
export const AgentGymGoalSchema = z.object({ sessionId: z.number().int().min(0) });

/** The server session id of a task: its goal's `sessionId`, or its id when that is a whole number. */
export function agentGymSessionId(task: Task): number {
  const goal = AgentGymGoalSchema.safeParse(task.goal);
  if (goal.success) return goal.data.sessionId;
  if (/^\d+$/.test(task.id)) return Number(task.id);
  throw new InvalidInputError(`AgentGym task "${task.id}" needs goal.sessionId or a numeric id`);
}
