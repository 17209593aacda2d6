import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionsFor, ADAPTER_ACTIONS, S3_STORE_ACTIONS, SFN_ENGINE_ACTIONS, SQS_QUEUE_ACTIONS } from '../../adapters/iam-actions.ts';
import { FUNCTIONS } from '../../functions/catalog.ts';
import { API_ROLE, LINK_GRANTS, SCHEDULE_ROLE, stateMachinePolicy, workflowPermissions, type FunctionPermission } from '../../infra/permissions.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const ARNS = ['arn:aws:states:us-east-1:123456789012:stateMachine:reverie-check-store-verify'];

/** Every action an IAM action list allows (with `service:*` wildcards). */
function allows(granted: readonly string[], action: string): boolean {
  return granted.some((g) => g === action || (g.endsWith(':*') && action.startsWith(g.slice(0, -1))));
}
const missing = (granted: readonly string[], needed: readonly string[]) => needed.filter((a) => !allows(granted, a));
const granted = (links: readonly string[], permissions: readonly FunctionPermission[]) =>
  [...links.flatMap((l) => LINK_GRANTS[l as keyof typeof LINK_GRANTS]), ...permissions.flatMap((p) => p.actions)];

/** The engine methods the handlers under a folder call (`(await runtime.engine()).<method>(`). */
function engineCalls(dir: string): string[] {
  const calls = new Set<string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
      const rel = path.join(d, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (rel.endsWith('.ts')) for (const m of read(rel).matchAll(/engine(?:\(\)\))?\.(\w+)\(/g)) calls.add(m[1]);
    }
  };
  walk(dir);
  return [...calls].sort();
}

describe('deploy check: IAM', () => {
  it.each(ADAPTER_ACTIONS.map((a) => [a.file, a] as const))('%s: every SDK command it sends and every method is in the IAM table', (file, table) => {
    const source = read(`adapters/${file}`);
    const commands = [...new Set([...source.matchAll(/new (\w+Command|Upload)\(/g)].map((m) => m[1]))];
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(table.commands[command], `${file} sends ${command}`).toBeDefined();
    for (const method of Object.keys(table.methods)) expect(source, `${file} has ${method}()`).toMatch(new RegExp(`async \\*?${method}\\(`));
  });

  it('gives every Task function what the store and its queues need', () => {
    const store = actionsFor(S3_STORE_ACTIONS, Object.keys(S3_STORE_ACTIONS.methods));
    const queue = actionsFor(SQS_QUEUE_ACTIONS, Object.keys(SQS_QUEUE_ACTIONS.methods));
    for (const spec of FUNCTIONS) {
      const links = ['bucket', ...(spec.queues ?? []).map(() => 'queue')];
      expect(missing(granted(links, []), [...store, ...(spec.queues?.length ? queue : [])]), spec.name).toEqual([]);
    }
  });

  it('gives the API what its routes call on the engine, task tokens included (on "*")', () => {
    const calls = engineCalls('functions/api');
    expect(calls).toEqual(expect.arrayContaining(['start', 'describe', 'completeTask']));
    const needed = [...actionsFor(SFN_ENGINE_ACTIONS, [...calls, 'heartbeatTask']), ...actionsFor(S3_STORE_ACTIONS, Object.keys(S3_STORE_ACTIONS.methods))];
    const permissions = workflowPermissions(ARNS, { taskTokens: API_ROLE.taskTokens });
    expect(missing(granted(API_ROLE.links, permissions), needed)).toEqual([]);
    expect(permissions.find((p) => p.actions.includes('states:SendTaskSuccess'))?.resources).toEqual(['*']);
  });

  it('rejects the API policy as it was (Start/Describe only): SendTaskSuccess would be AccessDenied', () => {
    const needed = actionsFor(SFN_ENGINE_ACTIONS, engineCalls('functions/api'));
    expect(missing(granted(API_ROLE.links, workflowPermissions(ARNS)), needed)).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
  });

  it('gives the schedule starter what it calls, and no task-token actions', () => {
    const calls = engineCalls('functions/schedule');
    const permissions = workflowPermissions(ARNS, { taskTokens: SCHEDULE_ROLE.taskTokens });
    expect(missing(granted(SCHEDULE_ROLE.links, permissions), actionsFor(SFN_ENGINE_ACTIONS, calls))).toEqual([]);
    expect(granted(SCHEDULE_ROLE.links, permissions)).not.toContain('states:SendTaskSuccess');
  });

  it('lets a state machine with a Distributed Map redrive its map runs', () => {
    const policy = stateMachinePolicy({ functionArns: ['arn:aws:lambda:us-east-1:1:function:f'], queueArns: [], machineName: 'reverie-x-backfill', distributed: true });
    const statement = policy.Statement.find((s) => s.Action.includes('states:RedriveExecution'));
    expect(statement?.Resource).toContain('arn:aws:states:*:*:execution:reverie-x-backfill/*');
  });
});
