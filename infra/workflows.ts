import fs from 'node:fs';
import path from 'node:path';
import { taskFunctions, pascal } from './functions.ts';
import { queues } from './queues.ts';
import { placeholdersOf, renderDefinition } from '../workflows/render.ts';
import { stateMachinePolicy, workflowPermissions } from './permissions.ts';

/**
 * The state machines, created from the same workflows/*.asl.json the local engine runs (JSONPath; SST's own
 * StepFunctions builder emits JSONata, which no local engine runs). `${fn:<name>}` becomes the function's ARN and
 * `${queue:<name>}` the queue URL.
 */
const dir = path.resolve('workflows');

export const stateMachines: Record<string, aws.sfn.StateMachine> = Object.fromEntries(
  fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => {
      const name = file.replace('.asl.json', '');
      return [name, createStateMachine(name, fs.readFileSync(path.join(dir, file), 'utf8'))];
    }),
);

function createStateMachine(name: string, text: string): aws.sfn.StateMachine {
  const { functions: fnNames, queues: queueNames } = placeholdersOf(text);
  const functionArns = Object.fromEntries(fnNames.map((fn) => [fn, taskFunctions[fn].arn]));
  const queueRefs = Object.fromEntries(queueNames.map((q) => [q, queues[q as keyof typeof queues]]));
  const distributed = text.includes('"DISTRIBUTED"');

  const role = new aws.iam.Role(`${pascal(name)}StateMachineRole`, {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: 'states.amazonaws.com' }),
  });
  const machineName = `${$app.name}-${$app.stage}-${name}`;
  new aws.iam.RolePolicy(`${pascal(name)}StateMachinePolicy`, {
    role: role.id,
    policy: $jsonStringify(
      $resolve({ fns: Object.values(functionArns), qs: Object.values(queueRefs).map((q) => q.arn) }).apply(({ fns, qs }) =>
        stateMachinePolicy({ functionArns: fns, queueArns: qs, machineName, distributed })),
    ),
  });

  const definition = $resolve({ fns: functionArns, qs: Object.fromEntries(Object.entries(queueRefs).map(([k, q]) => [k, q.url])) }).apply(
    ({ fns, qs }) => renderDefinition(text, { functions: fns, queues: qs }),
  );
  return new aws.sfn.StateMachine(`${pascal(name)}StateMachine`, { name: machineName, type: 'STANDARD', roleArn: role.arn, definition });
}

/** REVERIE_STATE_MACHINES for functions that start workflows. */
export const stateMachineArns = $jsonStringify(
  $resolve(Object.fromEntries(Object.entries(stateMachines).map(([name, sm]) => [name, sm.arn]))),
);

/** IAM statements that let a function start and read the workflows (and, with `taskTokens`, complete task tokens). */
export function startPermissions(options: { taskTokens?: boolean } = {}) {
  return $resolve(Object.values(stateMachines).map((sm) => sm.arn)).apply((arns) => workflowPermissions(arns, options));
}
