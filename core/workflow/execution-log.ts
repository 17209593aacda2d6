import os from 'node:os';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';
import { getJsonIfExists, putJson } from '../store/json.ts';
import type { Store } from '../store/store.ts';
import { ExecutionRecordSchema, ExecutionStatus, isExecutionId, type ExecutionRecord } from './execution.ts';
import { processIsAlive } from '../process-alive.ts';

const PREFIX = 'executions';
/** One empty marker per execution, `<inverted start time>.<workflow>.<id>`, so a plain listing is newest first. */
const STARTED = `${PREFIX}/_started`;
const LATEST = 9_999_999_999_999;

/**
 * Keeps every execution's record (status, input, output, error, progress) in the store, so `reverie workflow
 * status <id>` works after the process that ran it has exited.
 *
 * @example
 * const log = new ExecutionLog(store);
 * const record = await log.get('backfill-20261125-101500-ab12cd');
 */
export class ExecutionLog {
  private readonly store: Store;
  private readonly isAlive: (pid: number) => boolean;

  constructor(store: Store, options: { isAlive?: (pid: number) => boolean } = {}) {
    this.store = store;
    this.isAlive = options.isAlive ?? processIsAlive;
  }

  /**
   * Writes a new execution's first record, create-only: an id that exists already, finished or running, in this
   * process or any other (on S3 too), is a `ConflictError` and changes nothing. Of concurrent starts with one id,
   * exactly one wins.
   */
  async create(record: ExecutionRecord): Promise<void> {
    const body = `${JSON.stringify({ ...record, updatedAt: new Date().toISOString() }, null, 2)}\n`;
    if (!(await this.store.putIfAbsent(this.keyOf(record.id), body))) {
      throw new ConflictError(`execution "${record.id}" already exists: execution ids are used once; start without an id, or with a new one`);
    }
    await this.store.put(startedKey(record), '');
  }

  /** Rewrites the record of an execution this process started with `create`, as it progresses. */
  async save(record: ExecutionRecord): Promise<void> {
    await putJson(this.store, this.keyOf(record.id), { ...record, updatedAt: new Date().toISOString() });
  }

  /** Removes the claim of a start that never began (its engine refused it), so the id may be used again. */
  async remove(id: string): Promise<void> {
    const record = await getJsonIfExists(this.store, this.keyOf(id), ExecutionRecordSchema);
    if (record) await this.store.delete(startedKey(record));
    await this.store.delete(this.keyOf(id));
  }

  /**
   * The record of one execution. A RUNNING local record whose process is gone from this host is reported as
   * ABORTED, naming the process, rather than as running forever.
   */
  async get(id: string): Promise<ExecutionRecord> {
    const record = await getJsonIfExists(this.store, this.keyOf(id), ExecutionRecordSchema);
    if (!record) throw new NotFoundError(`no execution "${id}" in ${this.store.uri}`);
    const runner = record.runner;
    if (record.status === ExecutionStatus.running && runner && runner.host === os.hostname() && !this.isAlive(runner.pid)) {
      return {
        ...record,
        status: ExecutionStatus.aborted,
        error: { error: 'Reverie.ProcessExited', cause: `the process that ran it (pid ${runner.pid}) exited before it finished` },
      };
    }
    return record;
  }

  /** Execution ids, newest first (by start time), optionally of one workflow. */
  async list(workflow?: string, limit = 50): Promise<string[]> {
    const ids: string[] = [];
    const seen = new Set<string>();
    for await (const info of this.store.list(`${STARTED}/`)) {
      const [, name, id] = info.key.slice(STARTED.length + 1).split('.');
      if (!id || (workflow && name !== workflow)) continue;
      ids.push(id);
      seen.add(id);
    }
    // Records written before start markers existed follow, by id.
    const legacy: string[] = [];
    for await (const info of this.store.list(`${PREFIX}/${workflow ? `${workflow}-` : ''}`)) {
      const rest = info.key.slice(PREFIX.length + 1);
      if (rest.includes('/') || !rest.endsWith('.json')) continue;
      const id = rest.slice(0, -'.json'.length);
      if (!seen.has(id)) legacy.push(id);
    }
    return [...ids, ...legacy.sort().reverse()].slice(0, limit);
  }

  private keyOf(id: string): string {
    if (!isExecutionId(id)) throw new InvalidInputError(`"${id}" is not an execution id (lowercase letters, digits and dashes)`);
    return `${PREFIX}/${id}.json`;
  }
}

function startedKey(record: ExecutionRecord): string {
  const inverted = String(LATEST - Date.parse(record.startedAt)).padStart(13, '0');
  return `${STARTED}/${inverted}.${record.workflow}.${record.id}`;
}
