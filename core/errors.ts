/**
 * Reverie's error classes. Every error a user can cause or fix is a `ReverieError` subclass
 * carrying a `kind` that adapters (HTTP, CLI, Step Functions) map to a status without reading messages.
 */
export const ErrorKind = {
  invalidInput: 'invalid_input',
  notFound: 'not_found',
  conflict: 'conflict',
  unauthorized: 'unauthorized',
  unavailable: 'unavailable',
  dataCorrupt: 'data_corrupt',
  failed: 'failed',
} as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export class ReverieError extends Error {
  readonly kind: ErrorKind;
  readonly details?: Record<string, unknown>;

  constructor(kind: ErrorKind, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.details = options.details;
    // Step Functions matches Retry/Catch on the error name, so keep it the concrete class name.
    this.name = new.target.name;
  }
}

/** Bad input from a user, a file, a config value or a model's output. */
export class InvalidInputError extends ReverieError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(ErrorKind.invalidInput, message, options);
  }
}

export class NotFoundError extends ReverieError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(ErrorKind.notFound, message, options);
  }
}

export class ConflictError extends ReverieError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(ErrorKind.conflict, message, options);
  }
}

/** A dependency (LLM server, environment server, store) is down or refused after retries. */
export class UnavailableError extends ReverieError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(ErrorKind.unavailable, message, options);
  }
}

/**
 * Stored data that does not read back as written: invalid JSON, a schema mismatch, a checksum that differs from
 * its manifest. The server's fault, not the caller's (HTTP 500 `data_corrupt`); `details.key` names the object.
 */
export class DataCorruptError extends ReverieError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(ErrorKind.dataCorrupt, message, options);
  }
}

/** Readable one-line description of any thrown value, for logs and CLI output. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
