import { InvalidInputError, UnavailableError } from '../errors.ts';

/** A model's answer did not fit its schema, even after the repair retries. Callers count it and mark the step invalid. */
export class LlmOutputError extends InvalidInputError {
  readonly rawText: string;

  constructor(message: string, rawText: string) {
    super(message, { details: { rawText: rawText.slice(0, 2000) } });
    this.rawText = rawText;
  }
}

/** The LLM endpoint kept failing (429, 5xx, timeouts, connection errors) through every retry, or refused the request. */
export class LlmUnavailableError extends UnavailableError {}
