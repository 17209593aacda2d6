import { storeUri, bucket } from './storage.ts';
import { SCHEDULE_ROLE } from './permissions.ts';
import { startPermissions, stateMachineArns } from './workflows.ts';

/**
 * Scheduled jobs (EventBridge Scheduler through CronV2). Each schedule invokes one small function that starts a
 * workflow with a fixed input, through the same engine and input schema as the API and CLI.
 */
const starter = new sst.aws.Function('ScheduleStarter', {
  handler: 'functions/schedule/start-workflow.handler',
  runtime: 'nodejs22.x',
  timeout: '30 seconds',
  link: [bucket],
  environment: { REVERIE_STORE: storeUri, REVERIE_ENGINE: 'aws', REVERIE_STATE_MACHINES: stateMachineArns },
  permissions: startPermissions({ taskTokens: SCHEDULE_ROLE.taskTokens }),
  nodejs: { format: 'esm', esbuild: { external: ['onnxruntime-node'] } },
});

export const schedules = [
  new sst.aws.CronV2('NightlyStoreVerify', {
    schedule: 'cron(0 3 * * ? *)',
    function: starter.arn,
    retries: 3,
    event: { workflow: 'store-verify', input: {}, name: 'store-verify-nightly', scheduledTime: '<aws.scheduler.scheduled-time>' },
  }),
  // A weekly DreamGym run on synthetic experience (built-in shop, policy and experience model): fresh training data and
  // a success curve on held-out real tasks; point the input at an LLM policy and the trainer queue for real training.
  new sst.aws.CronV2('WeeklyDreamGym', {
    schedule: 'cron(0 4 ? * SUN *)',
    function: starter.arn,
    retries: 3,
    event: {
      workflow: 'dreamgym-train', input: { env: 'shop', mode: 'synthetic', iterations: 10 },
      name: 'dreamgym-train-weekly', scheduledTime: '<aws.scheduler.scheduled-time>',
    },
  }),
  // Advances one gallery's backfill off-peak: hourly from 01:00 to 05:00 UTC, at most 20 shards per run (resumable,
  // so each run picks up where the last stopped). Deploy with REVERIE_BACKFILL_GALLERY=<gallery id> to enable it.
  ...(process.env.REVERIE_BACKFILL_GALLERY
    ? [new sst.aws.CronV2('OffPeakBackfill', {
        schedule: 'cron(0 1-5 * * ? *)',
        function: starter.arn,
        retries: 3,
        // One execution name per gallery and slot: a retried delivery is refused, and a slot is skipped while the
        // previous hour's run of this gallery still runs.
        event: {
          workflow: 'backfill',
          input: { gallery: process.env.REVERIE_BACKFILL_GALLERY, maxShards: 20 },
          name: `backfill-${process.env.REVERIE_BACKFILL_GALLERY}`,
          scheduledTime: '<aws.scheduler.scheduled-time>',
        },
      })]
    : []),
];
