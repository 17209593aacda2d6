/**
 * IAM for the deployed stack as plain data, free of SST globals so the deploy check (test/deploy) reads exactly
 * what infra grants.
 */

/** What SST's `link` grants a function on a linked component (SST v3: `s3:*` on a Bucket, `sqs:*` on a Queue). */
export const LINK_GRANTS = {
  bucket: ['s3:*'],
  queue: ['sqs:*'],
} as const;

/**
 * Step Functions actions of a function that starts and reads workflows (schedules) or also completes task tokens
 * (the API: `POST /v1/tasks/{token}/…`). Task tokens name no resource, so those actions need `*`.
 */
export const START_ACTIONS = ['states:StartExecution', 'states:DescribeExecution'] as const;
export const TASK_TOKEN_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'] as const;

/**
 * What each function that is not a Task function gets (infra/api.ts, infra/schedules.ts read these): the API also
 * completes and heartbeats task tokens; the schedule starter only starts workflows.
 */
export const API_ROLE = { links: ['bucket'], taskTokens: true } as const;
export const SCHEDULE_ROLE = { links: ['bucket'], taskTokens: false } as const;

export interface FunctionPermission {
  actions: string[];
  resources: string[];
}

/** `permissions` of a function that starts workflows; `taskTokens` adds the task-token actions on `*`. */
export function workflowPermissions(stateMachineArns: readonly string[], options: { taskTokens?: boolean } = {}): FunctionPermission[] {
  return [
    { actions: ['states:StartExecution'], resources: [...stateMachineArns] },
    { actions: ['states:DescribeExecution'], resources: stateMachineArns.map((arn) => `${arn.replace(':stateMachine:', ':execution:')}:*`) },
    ...(options.taskTokens ? [{ actions: [...TASK_TOKEN_ACTIONS], resources: ['*'] }] : []),
  ];
}

export interface PolicyStatement {
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

/**
 * A state machine role's policy: invoke its functions, send to its queues, and for a Distributed Map start, read,
 * stop and redrive its own child executions (`<machine>/<map run>:<child>`).
 */
export function stateMachinePolicy(input: {
  functionArns: readonly string[];
  queueArns: readonly string[];
  machineName: string;
  distributed: boolean;
}): { Version: '2012-10-17'; Statement: PolicyStatement[] } {
  const { functionArns, queueArns, machineName, distributed } = input;
  const statements: PolicyStatement[] = [];
  if (functionArns.length) statements.push({ Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: functionArns.flatMap((arn) => [arn, `${arn}:*`]) });
  if (queueArns.length) statements.push({ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [...queueArns] });
  if (distributed) {
    statements.push({
      Effect: 'Allow',
      Action: ['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution'],
      Resource: [
        `arn:aws:states:*:*:stateMachine:${machineName}`,
        `arn:aws:states:*:*:execution:${machineName}:*`,
        `arn:aws:states:*:*:execution:${machineName}/*`,
      ],
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
