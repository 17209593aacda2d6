import { allStates, type MachineDefinition, type StateDefinition } from '../definitions.ts';
import { placeholdersOf, renderDefinition } from '../render.ts';
import { loopThrough } from './graph.ts';
import { estimateHistory, HISTORY_EVENT_LIMIT, isDistributed } from './history.ts';
import { isLambdaTask, unretriedLambdaErrors } from './lambda-retry.ts';
import type { RunProfile } from './profile.ts';

/** Step Functions' limit on a state's input or output. */
export const STATE_PAYLOAD_LIMIT = 256 * 1024;

export type DeployRule = 'lambda-retry' | 'map-results' | 'inline-map-loop' | 'history-events' | 'task-token-heartbeat';

export interface DeployFinding {
  rule: DeployRule;
  state?: string;
  message: string;
}

/**
 * A definition's text rendered as infra deploys it, with made-up account, region and stage: what Step Functions
 * would receive.
 */
export function renderForCheck(text: string): MachineDefinition {
  const names = placeholdersOf(text);
  const functions = Object.fromEntries(names.functions.map((fn) =>
    [fn, `arn:aws:lambda:us-east-1:123456789012:function:reverie-check-${fn}-abc123`]));
  const queues = Object.fromEntries(names.queues.map((q) => [q, `https://sqs.us-east-1.amazonaws.com/123456789012/reverie-check-${q}-abc123`]));
  return JSON.parse(renderDefinition(text, { functions, queues })) as MachineDefinition;
}

/**
 * Checks a deployed definition against what Step Functions, Lambda and SQS do on AWS but the local engine never
 * shows: Lambda service errors retried, no unbounded Map results in the state, no inline Map in an unbounded loop,
 * one run at the profile's size under 25,000 history events (and each child execution too), and a heartbeat on
 * any task-token wait longer than Lambda's 15 minutes.
 */
export function checkDeployedDefinition(definition: MachineDefinition, profile: RunProfile): DeployFinding[] {
  const findings: DeployFinding[] = [];
  for (const [name, state] of allStates(definition)) {
    if (isLambdaTask(state)) {
      const missing = unretriedLambdaErrors(state);
      if (missing.length) findings.push({ rule: 'lambda-retry', state: name, message: `Lambda Task "${name}" does not retry ${missing.join(', ')}` });
    }
    if (state.Type === 'Map') findings.push(...mapResults(name, state, profile));
    if (state.Resource === 'arn:aws:states:::sqs:sendMessage.waitForTaskToken' && typeof state.HeartbeatSeconds !== 'number') {
      findings.push({ rule: 'task-token-heartbeat', state: name, message: `task-token state "${name}" has no HeartbeatSeconds: a dead trainer holds the run until TimeoutSeconds` });
    }
  }
  findings.push(...inlineMapsInLoops(definition, profile));
  try {
    const history = estimateHistory(definition, profile);
    if (history.events >= HISTORY_EVENT_LIMIT) {
      findings.push({ rule: 'history-events', message: `one run at ${profile.size} writes about ${history.events} history events (limit ${HISTORY_EVENT_LIMIT})` });
    }
    for (const child of history.children) {
      if (child.events >= HISTORY_EVENT_LIMIT) {
        findings.push({ rule: 'history-events', state: child.map, message: `a child execution of Map "${child.map}" at ${profile.size} writes about ${child.events} history events (limit ${HISTORY_EVENT_LIMIT})` });
      }
    }
  } catch (error) {
    findings.push({ rule: 'history-events', message: (error as Error).message });
  }
  return findings;
}

function mapResults(name: string, state: StateDefinition, profile: RunProfile): DeployFinding[] {
  if (state.ResultPath === null) return [];
  const items = profile.mapItems[name];
  if (items === undefined) return [{ rule: 'map-results', state: name, message: `Map "${name}" keeps its results in the state and its item count is unbounded` }];
  const bytes = items * (profile.resultBytes?.[name] ?? 1024);
  if (bytes <= STATE_PAYLOAD_LIMIT) return [];
  return [{ rule: 'map-results', state: name, message: `Map "${name}" keeps up to ${items} results (~${Math.round(bytes / 1024)} KB) in the state, over the 256 KB limit` }];
}

function inlineMapsInLoops(machine: MachineDefinition, profile: RunProfile): DeployFinding[] {
  const findings: DeployFinding[] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    const nested = state.ItemProcessor ?? state.Iterator;
    if (nested) findings.push(...inlineMapsInLoops(nested, profile));
    for (const branch of state.Branches ?? []) findings.push(...inlineMapsInLoops(branch, profile));
    if (state.Type !== 'Map' || isDistributed(state)) continue;
    const loop = loopThrough(machine, name);
    if (loop.length === 0) continue;
    const bounded = loop.some((other) => machine.States[other].Type === 'Choice' && profile.boundedLoops?.[other] !== undefined);
    if (!bounded) findings.push({ rule: 'inline-map-loop', state: name, message: `inline Map "${name}" sits in a loop (${loop.sort().join(' → ')}) whose turns are unbounded` });
  }
  return findings;
}
