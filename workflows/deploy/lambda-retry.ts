import type { StateDefinition } from '../definitions.ts';

/**
 * The Lambda service errors AWS recommends every Lambda Task retries: throttles, service faults, SDK client faults
 * and a sandbox that timed out. None of them occurs in the local engine, so only this check keeps them retried.
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Sandbox.Timedout',
] as const;

interface Retrier {
  ErrorEquals: string[];
  MaxAttempts?: number;
}

/** Whether a Task state's resource is a Lambda function (a deployed ARN or the lambda:invoke integration). */
export function isLambdaTask(state: StateDefinition): boolean {
  return state.Type === 'Task' && typeof state.Resource === 'string' &&
    (/^arn:aws:lambda:[^:]*:[^:]*:function:/.test(state.Resource) || state.Resource.startsWith('arn:aws:states:::lambda:invoke'));
}

/**
 * The Lambda service errors a Task does not retry: the first retrier that names an error decides (Step Functions
 * tries retriers in order), and it must name the error itself with MaxAttempts ≥ 2, so throttles get more than one
 * more try; a States.ALL catch-all does not count as the recommended block.
 */
export function unretriedLambdaErrors(state: StateDefinition): string[] {
  const retriers = (state.Retry ?? []) as Retrier[];
  return LAMBDA_SERVICE_ERRORS.filter((error) => {
    const first = retriers.find((r) => r.ErrorEquals.includes(error) || r.ErrorEquals.includes('States.ALL'));
    return !first || !first.ErrorEquals.includes(error) || (first.MaxAttempts ?? 3) < 2;
  });
}
