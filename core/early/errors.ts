import { InvalidInputError } from '../errors.ts';

/** The input asked for an LLM role (policy alternatives, teacher reflections or summaries) that has no endpoint. */
export class RoleNotConfiguredError extends InvalidInputError {
  readonly role: string;

  constructor(role: 'policy' | 'teacher', wanted: string) {
    const upper = role.toUpperCase();
    super(`${wanted} needs a ${role} LLM: set REVERIE_${upper}_BASE_URL (an OpenAI-compatible endpoint) and `
      + `REVERIE_${upper}_MODEL, or choose the non-LLM option`, { details: { role } });
    this.role = role;
  }
}
