import { InvalidInputError } from '../../errors.ts';

/**
 * Teacher annotation is an LLM-only step: with no teacher endpoint configured there is nothing to fall back to, so
 * the workflow fails at its first state with this error instead of producing an empty dataset.
 */
export class TeacherNotConfiguredError extends InvalidInputError {
  constructor() {
    super('teacher annotation needs a teacher LLM: set REVERIE_TEACHER_BASE_URL (an OpenAI-compatible endpoint, '
      + 'e.g. http://localhost:8000/v1) and REVERIE_TEACHER_MODEL');
  }
}
