/**
 * SQS hand-offs. The trainer queue carries training batches to an external GPU trainer (with a Step Functions
 * task token); a message that fails three receives lands in the dead-letter queue instead of looping.
 */
const trainerDeadLetter = new sst.aws.Queue('TrainerDeadLetter');

export const queues = {
  trainer: new sst.aws.Queue('Trainer', {
    visibilityTimeout: '15 minutes',
    dlq: { queue: trainerDeadLetter.arn, retry: 3 },
  }),
};

/** REVERIE_QUEUES for functions that use the named queues. */
export function queueUrls(names: readonly string[]) {
  return $jsonStringify(
    $resolve(Object.fromEntries(names.map((name) => [name, queues[name as keyof typeof queues].url]))),
  );
}
