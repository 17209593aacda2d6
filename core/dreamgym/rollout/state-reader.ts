import type { StateReader } from '../../env/environment-kind.ts';

export type { StateReader, StateReading } from '../../env/environment-kind.ts';

/** Environments whose states are free text: everything is readable, nothing is listed, nothing is terminal. */
export const freeTextStateReader: StateReader = {
  read: () => ({ readable: true, admissibleActions: undefined, terminal: false }),
};
