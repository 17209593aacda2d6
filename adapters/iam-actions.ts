/**
 * The IAM actions each AWS adapter's methods need: the SDK commands a method sends, named as IAM actions. The deploy
 * check (test/deploy) reads every `new <X>Command(` in the adapters and fails when one is missing here, then checks
 * that each deployed function's policy allows what its handlers call.
 */
export interface AdapterActions {
  /** The adapter's module under adapters/. */
  file: string;
  /** SDK command (or helper) → IAM action. */
  commands: Record<string, string>;
  /** Port method → SDK commands it sends. */
  methods: Record<string, string[]>;
}

export const S3_STORE_ACTIONS: AdapterActions = {
  file: 's3-store.ts',
  commands: {
    PutObjectCommand: 's3:PutObject',
    GetObjectCommand: 's3:GetObject',
    // HEAD needs s3:GetObject; a missing key answers 404 only with s3:ListBucket (403 otherwise).
    HeadObjectCommand: 's3:GetObject',
    ListObjectsV2Command: 's3:ListBucket',
    DeleteObjectCommand: 's3:DeleteObject',
    // lib-storage's Upload: CreateMultipartUpload/UploadPart/CompleteMultipartUpload are s3:PutObject; abort on error.
    Upload: 's3:AbortMultipartUpload',
  },
  methods: {
    put: ['PutObjectCommand'],
    putStream: ['Upload', 'PutObjectCommand'],
    putIfAbsent: ['HeadObjectCommand', 'PutObjectCommand', 'GetObjectCommand', 'ListObjectsV2Command'],
    get: ['GetObjectCommand'],
    getStream: ['GetObjectCommand'],
    head: ['HeadObjectCommand', 'ListObjectsV2Command'],
    list: ['ListObjectsV2Command'],
    delete: ['DeleteObjectCommand'],
  },
};

export const SQS_QUEUE_ACTIONS: AdapterActions = {
  file: 'sqs-queue.ts',
  commands: {
    SendMessageCommand: 'sqs:SendMessage',
    ReceiveMessageCommand: 'sqs:ReceiveMessage',
    DeleteMessageCommand: 'sqs:DeleteMessage',
    ChangeMessageVisibilityCommand: 'sqs:ChangeMessageVisibility',
    GetQueueAttributesCommand: 'sqs:GetQueueAttributes',
  },
  methods: {
    send: ['SendMessageCommand'],
    receive: ['ReceiveMessageCommand'],
    ack: ['DeleteMessageCommand'],
    release: ['ChangeMessageVisibilityCommand'],
    extend: ['ChangeMessageVisibilityCommand'],
    depth: ['GetQueueAttributesCommand'],
  },
};

export const SFN_ENGINE_ACTIONS: AdapterActions = {
  file: 'sfn-engine.ts',
  commands: {
    StartExecutionCommand: 'states:StartExecution',
    DescribeExecutionCommand: 'states:DescribeExecution',
    SendTaskSuccessCommand: 'states:SendTaskSuccess',
    SendTaskFailureCommand: 'states:SendTaskFailure',
    SendTaskHeartbeatCommand: 'states:SendTaskHeartbeat',
  },
  methods: {
    workflows: [],
    list: [],
    start: ['StartExecutionCommand'],
    describe: ['DescribeExecutionCommand'],
    wait: ['DescribeExecutionCommand'],
    completeTask: ['SendTaskSuccessCommand', 'SendTaskFailureCommand'],
    heartbeatTask: ['SendTaskHeartbeatCommand'],
  },
};

export const ADAPTER_ACTIONS: readonly AdapterActions[] = [S3_STORE_ACTIONS, SQS_QUEUE_ACTIONS, SFN_ENGINE_ACTIONS];

/** The IAM actions the named methods of an adapter need. */
export function actionsFor(adapter: AdapterActions, methods: readonly string[]): string[] {
  const actions = new Set<string>();
  for (const method of methods) {
    const commands = adapter.methods[method];
    if (!commands) throw new Error(`${adapter.file} has no method "${method}" in its IAM table`);
    for (const command of commands) actions.add(adapter.commands[command]);
  }
  return [...actions].sort();
}
