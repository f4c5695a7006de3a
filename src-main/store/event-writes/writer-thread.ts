import { createRequire } from 'node:module';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import {
  EVENT_WRITES,
  prepareEventWrites,
  writeEventBatch,
  type EventBatch,
  type EventWrites,
  type EventWriteStatements,
} from './event-batch';

/** What SQLite or the system said when a write failed, as it crosses from the thread. */
export interface WriteErrorReport {
  message: string;
  code: string | null;
}

/** What the thread tells the app's side, through the results port. */
export type WriterThreadReport =
  | { kind: 'started'; error: WriteErrorReport | null }
  | { kind: 'failed'; number: number; runId: string; error: WriteErrorReport };

/** A numbered batch to write, or the word to close the connection and stop. */
export type WriterThreadMessage = { number: number; batch: EventBatch } | 'close';

/** signals[SIGNAL_PROGRESS]: the number of the last batch the thread has finished with (written, or failed). */
export const SIGNAL_PROGRESS = 0;
/** signals[SIGNAL_URGENT]: 1 when the app waits for a batch, so the thread writes without gathering more. */
export const SIGNAL_URGENT = 1;
/**
 * How long the thread gathers batches into one transaction, unless someone is waiting for them. A commit
 * costs about as much as a hundred rows, and a team's members each send a batch a turn; this bounds the
 * commits to a few hundred a second. It is also how much later than the engine's turn a batch is safe
 * from a crash.
 */
const GATHER_MS = 2;

interface WriterThreadData {
  /** Where better-sqlite3 is (an eval'd thread resolves modules from the working directory, not from here). */
  sqliteModule: string;
  databasePath: string;
  busyTimeoutMs: number;
  gatherMs: number;
  progressSlot: number;
  urgentSlot: number;
  writes: EventWrites;
  /** Two BigInt64s: SIGNAL_PROGRESS and SIGNAL_URGENT. */
  signals: SharedArrayBuffer;
  results: MessagePort;
}

/**
 * The writer thread's whole program. It runs from its source text (below), so it may use nothing but its
 * parameters and built-ins: the batch functions are handed to it the same way.
 */
function writerThreadMain(prepare: typeof prepareEventWrites, write: typeof writeEventBatch): void {
  // Modules come through process.getBuiltinModule, not `require`: bundlers rewrite `require` in the
  // source they emit (esbuild into a shim the thread does not have).
  const threads = process.getBuiltinModule('node:worker_threads');
  const data = threads.workerData as WriterThreadData;
  const port = threads.parentPort;
  if (!port) return;
  const signals = new BigInt64Array(data.signals);
  const report = (error: unknown): WriteErrorReport => {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      message: error instanceof Error ? error.message : String(error),
      code: typeof code === 'string' ? code : null,
    };
  };
  let db: Database.Database | null = null;
  let statements: EventWriteStatements | null = null;
  try {
    const load = process.getBuiltinModule('node:module').createRequire(data.sqliteModule);
    const open = load(data.sqliteModule) as typeof Database;
    db = new open(data.databasePath, { timeout: data.busyTimeoutMs });
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    statements = prepare(db, data.writes);
    data.results.postMessage({ kind: 'started', error: null } satisfies WriterThreadReport);
  } catch (error) {
    data.results.postMessage({ kind: 'started', error: report(error) } satisfies WriterThreadReport);
  }
  // After one failed batch a run's later batches are not written: its events would have a gap.
  const failedRuns = new Set<string>();
  const fail = (number: number, runId: string, error: unknown) => {
    failedRuns.add(runId);
    data.results.postMessage({ kind: 'failed', number, runId, error: report(error) } satisfies WriterThreadReport);
  };
  const arrived: WriterThreadMessage[] = [];
  let gathering = false;
  const writeGroup = (group: Array<{ number: number; batch: EventBatch }>) => {
    const connection = db;
    const ready = statements;
    if (!connection || !ready) return;
    const written: typeof group = [];
    try {
      connection.transaction(() => {
        for (const item of group) {
          if (failedRuns.has(item.batch.runId)) continue;
          try {
            // Nested, so a savepoint: a batch that fails takes no other run's batch with it.
            connection.transaction(() => write(ready, item.batch))();
            written.push(item);
          } catch (error) {
            fail(item.number, item.batch.runId, error);
          }
        }
      })();
    } catch (error) {
      // The commit itself failed (a full disk): none of the group was written.
      for (const item of written) if (!failedRuns.has(item.batch.runId)) fail(item.number, item.batch.runId, error);
    }
  };
  const writeArrived = () => {
    gathering = false;
    Atomics.store(signals, data.urgentSlot, 0n);
    for (let message = threads.receiveMessageOnPort(port); message; message = threads.receiveMessageOnPort(port)) {
      arrived.push(message.message as WriterThreadMessage);
    }
    const closing = arrived.includes('close');
    const group = arrived.splice(0).filter((message) => message !== 'close');
    writeGroup(group);
    const last = group.at(-1);
    if (last) {
      // After the reports: whoever sees this number can already receive what happened to its batches.
      Atomics.store(signals, data.progressSlot, BigInt(last.number));
      Atomics.notify(signals, data.progressSlot);
    }
    if (closing) {
      db?.close();
      data.results.close();
      port.close();
    }
  };
  // Batches are gathered for a moment, or until the app says it is waiting (urgent), then written together.
  port.on('message', (message: WriterThreadMessage) => {
    arrived.push(message);
    if (gathering) return;
    gathering = true;
    // Node has had Atomics.waitAsync since 16; TypeScript declares it from ES2024 on, past this project's target.
    const { waitAsync } = Atomics as unknown as {
      waitAsync(
        array: BigInt64Array,
        index: number,
        value: bigint,
        timeoutMs: number,
      ): { async: boolean; value: unknown };
    };
    const waiting = waitAsync(signals, data.urgentSlot, 0n, data.gatherMs);
    if (waiting.async) void (waiting.value as Promise<unknown>).then(writeArrived);
    else writeArrived();
  });
}

/** The thread as the app's side holds it. */
export interface WriterThread {
  worker: Worker;
  /** Reports from the thread, read synchronously (receiveMessageOnPort): the app may be blocked waiting. */
  results: MessagePort;
  /** SIGNAL_PROGRESS and SIGNAL_URGENT, shared with the thread. */
  signals: BigInt64Array;
}

/** Starts a writer thread with its own connection to the database file at `databasePath`. */
export function startWriterThread(databasePath: string, busyTimeoutMs: number): WriterThread {
  const channel = new MessageChannel();
  const signals = new SharedArrayBuffer(16);
  const data: WriterThreadData = {
    sqliteModule: createRequire(import.meta.url).resolve('better-sqlite3'),
    databasePath,
    busyTimeoutMs,
    gatherMs: GATHER_MS,
    progressSlot: SIGNAL_PROGRESS,
    urgentSlot: SIGNAL_URGENT,
    writes: EVENT_WRITES,
    signals,
    results: channel.port2,
  };
  // From source text rather than a file: the same code then runs under the bundled app, the bundled
  // benches and the tests' TypeScript, none of which would find a separate worker file in the same place.
  // `__name` is the helper tools that keep function names (tsx, esbuild's keepNames) call inside function
  // bodies; the thread has no such helper unless the source brings it.
  const source = [
    '"use strict";',
    'var __name = (target) => target;',
    `(${writerThreadMain.toString()})(${prepareEventWrites.toString()}, ${writeEventBatch.toString()});`,
  ].join('\n');
  const worker = new Worker(source, { eval: true, workerData: data, transferList: [channel.port2] });
  // Neither keeps the process alive: the store settles every batch before it closes.
  worker.unref();
  channel.port1.unref();
  return { worker, results: channel.port1, signals: new BigInt64Array(signals) };
}
