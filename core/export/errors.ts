import { InvalidInputError } from '../errors.ts';

/** Base of the export area's errors: all are the caller's to fix (CLI exit 2, HTTP 400). */
export class ExportError extends InvalidInputError {}

export class UnknownDatasetError extends ExportError {
  constructor(spec: string, kinds: readonly string[]) {
    super(`unknown dataset "${spec}": name one as <kind>:<id> with kind one of ${kinds.join(', ')} (e.g. rollouts:<run-id>)`, { details: { spec } });
  }
}

export class UnknownFormatError extends ExportError {
  constructor(format: string, formats: readonly string[]) {
    super(`unknown export format "${format}": use one of ${formats.join(', ')}`, { details: { format } });
  }
}

export class ExportTargetExistsError extends ExportError {
  constructor(uri: string) {
    super(`export target ${uri} already holds objects; exports never overwrite: pass a new --to or remove it first`, { details: { uri } });
  }
}

export class ExportCountMismatchError extends ExportError {
  constructor(what: string, written: number, stated: number) {
    super(`${what}: read ${written} rows but its committed metadata states ${stated}; nothing was committed`, { details: { written, stated } });
  }
}
