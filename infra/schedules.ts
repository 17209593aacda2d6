import { storeUri, bucket } from './storage.ts';
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
  permissions: startPermissions(),
  nodejs: { format: 'esm', esbuild: { external: ['onnxruntime-node'] } },
});

export const schedules = [
  new sst.aws.CronV2('NightlyStoreVerify', {
    schedule: 'cron(0 3 * * ? *)',
    function: starter.arn,
    event: { workflow: 'store-verify', input: {} },
  }),
];
