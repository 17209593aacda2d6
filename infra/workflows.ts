import fs from 'node:fs';
import path from 'node:path';
import { taskFunctions, pascal } from './functions.ts';
import { queues } from './queues.ts';

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
  const fnNames = [...new Set([...text.matchAll(/\$\{fn:([a-z0-9-]+)\}/g)].map((m) => m[1]))];
  const queueNames = [...new Set([...text.matchAll(/\$\{queue:([a-z0-9-]+)\}/g)].map((m) => m[1]))];
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
      $resolve({ fns: Object.values(functionArns), qs: Object.values(queueRefs).map((q) => q.arn) }).apply(({ fns, qs }) => ({
        Version: '2012-10-17',
        Statement: [
          ...(fns.length ? [{ Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: fns.flatMap((arn) => [arn, `${arn}:*`]) }] : []),
          ...(qs.length ? [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: qs }] : []),
          ...(distributed
            ? [{
                Effect: 'Allow',
                Action: ['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution'],
                Resource: [`arn:aws:states:*:*:stateMachine:${machineName}`, `arn:aws:states:*:*:execution:${machineName}:*`],
              }]
            : []),
        ],
      })),
    ),
  });

  const definition = $resolve({ fns: functionArns, qs: Object.fromEntries(Object.entries(queueRefs).map(([k, q]) => [k, q.url])) }).apply(
    ({ fns, qs }) =>
      text
        .replace(/\$\{fn:([a-z0-9-]+)\}/g, (_, fn: string) => fns[fn])
        .replace(/\$\{queue:([a-z0-9-]+)\}/g, (_, q: string) => qs[q]),
  );
  return new aws.sfn.StateMachine(`${pascal(name)}StateMachine`, { name: machineName, type: 'STANDARD', roleArn: role.arn, definition });
}

/** REVERIE_STATE_MACHINES for functions that start workflows. */
export const stateMachineArns = $jsonStringify(
  $resolve(Object.fromEntries(Object.entries(stateMachines).map(([name, sm]) => [name, sm.arn]))),
);

/** IAM statements that let a function start and read the named workflows. */
export function startPermissions() {
  const arns = Object.values(stateMachines).map((sm) => sm.arn);
  return [
    { actions: ['states:StartExecution'], resources: arns },
    { actions: ['states:DescribeExecution'], resources: arns.map((arn) => $interpolate`${arn}`.apply((a) => `${a.replace(':stateMachine:', ':execution:')}:*`)) },
  ];
}
