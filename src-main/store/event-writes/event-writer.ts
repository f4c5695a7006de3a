import { receiveMessageOnPort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { reportingStorageErrors, toStorageError } from '../storage-error';
import {
  EVENT_WRITES,
  prepareEventWrites,
  writeEventBatch,
  type EventBatch,
  type EventWriteStatements,
} from './event-batch';
import {
  SIGNAL_PROGRESS,
  SIGNAL_URGENT,
  startWriterThread,
  type WriteErrorReport,
  type WriterThread,
  type WriterThreadReport,
} from './writer-thread';

/**
 * Where a run's event batches go to be saved. Saving may finish later than `write` returns: `settle`
 * waits for it, and a failed batch is reported to the run's next `write` (or `settle`), so the run fails
 * saying why, with nothing after the failed batch written.
 */
export interface EventWriter {
  /** Queues a batch; throws the failure of an earlier batch of the same run, if one failed. */
  write(batch: EventBatch): void;
  /** Returns once the batches of `runId` (of every run when omitted) are in the database, or failed. */
  settle(runId?: string): void;
  /** Why a run's events could not be saved, once a batch of it failed. */
  failureOf(runId: string): Error | undefined;
  /** Settles everything and lets go of the thread, if there is one. */
  close(): void;
}

/** Writes each batch at once, in its own transaction on the app's connection (an in-memory database, a fallback). */
export class InlineEventWriter implements EventWriter {
  private readonly statements: EventWriteStatements;
  private readonly failures = new Map<string, Error>();

  constructor(private readonly db: Database.Database) {
    this.statements = prepareEventWrites(db, EVENT_WRITES);
  }

  write(batch: EventBatch): void {
    const failure = this.failures.get(batch.runId);
    if (failure) throw failure;
    try {
      reportingStorageErrors(this.db.name, () => this.db.transaction(() => writeEventBatch(this.statements, batch))());
    } catch (error) {
      this.failures.set(batch.runId, error as Error);
      throw error;
    }
  }

  settle(): void {}

  failureOf(runId: string): Error | undefined {
    return this.failures.get(runId);
  }

  close(): void {}
}

/** More batches than this waiting for the thread, and a write waits for it to catch up (memory stays bounded). */
const MAX_QUEUED_BATCHES = 256;
/**
 * A thread that has finished no batch for this long past the busy timeout is taken for gone (a write of
 * its own may wait for another connection's lock up to the busy timeout, then fails and says so).
 */
const THREAD_SILENCE_BEYOND_BUSY_MS = 10_000;
const WAIT_SLICE_MS = 50;

/**
 * Writes batches on a thread of its own, with its own connection, so the engine goes on with its next
 * step while SQLite inserts the last one (inserting is most of what a quick step costs). The batches
 * stay in order, one transaction each; the app's own connection sees each as soon as it is committed.
 *
 * Batches are kept here until the thread has finished with them: if the thread cannot start (or stops),
 * they are written inline instead, and so is everything after.
 */
export class BackgroundEventWriter implements EventWriter {
  private thread: WriterThread | null = null;
  private inline: InlineEventWriter | null = null;
  private closed = false;
  private sent = 0;
  private readonly queued: Array<{ number: number; batch: EventBatch }> = [];
  private readonly lastBatchOfRun = new Map<string, number>();
  private readonly failures = new Map<string, Error>();
  private threadGone: string | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly busyTimeoutMs: number,
    /** How the thread is started (a test starts one that cannot open its database). */
    private readonly start: typeof startWriterThread = startWriterThread,
  ) {}

  write(batch: EventBatch): void {
    if (this.closed) throw new Error(`the run store of ${this.db.name} is closed`);
    this.collectReports();
    const failure = this.failures.get(batch.runId);
    if (failure) throw failure;
    if (this.inline) return this.writeInline(batch);
    if (this.queued.length >= MAX_QUEUED_BATCHES) {
      this.settle();
      if (this.inline) return this.writeInline(batch);
    }
    const number = ++this.sent;
    this.queued.push({ number, batch });
    this.lastBatchOfRun.set(batch.runId, number);
    this.startedThread().worker.postMessage({ number, batch });
  }

  settle(runId?: string): void {
    const target = BigInt(runId === undefined ? this.sent : (this.lastBatchOfRun.get(runId) ?? 0));
    const thread = this.thread;
    // Most reads find nothing to wait for (a finished run, another run's batches): they cost a load.
    if (thread && !this.inline && Atomics.load(thread.signals, SIGNAL_PROGRESS) < target) this.waitFor(thread, target);
    const finished = !this.thread || this.inline || Atomics.load(this.thread.signals, SIGNAL_PROGRESS) >= target;
    if (runId !== undefined && finished) this.lastBatchOfRun.delete(runId);
  }

  /** Blocks until the thread has finished batch `target`, or has fallen silent (then writes inline). */
  private waitFor(thread: WriterThread, target: bigint): void {
    // Someone waits: the thread writes what it has without gathering more.
    Atomics.store(thread.signals, SIGNAL_URGENT, 1n);
    Atomics.notify(thread.signals, SIGNAL_URGENT);
    let last = Atomics.load(thread.signals, SIGNAL_PROGRESS);
    let silentSince = Date.now();
    while (last < target) {
      Atomics.wait(thread.signals, SIGNAL_PROGRESS, last, WAIT_SLICE_MS);
      this.collectReports();
      if (this.inline) return;
      const now = Atomics.load(thread.signals, SIGNAL_PROGRESS);
      if (now !== last) silentSince = Date.now();
      else if (Date.now() - silentSince > this.busyTimeoutMs + THREAD_SILENCE_BEYOND_BUSY_MS) {
        this.threadGone ??= `it finished no batch in ${Math.round((Date.now() - silentSince) / 1000)} s`;
        this.collectReports();
        return;
      }
      last = now;
    }
    this.collectReports();
  }

  failureOf(runId: string): Error | undefined {
    this.collectReports();
    return this.failures.get(runId);
  }

  close(): void {
    if (this.closed) return;
    this.settle();
    this.closed = true;
    this.thread?.worker.postMessage('close');
    this.thread = null;
  }

  private startedThread(): WriterThread {
    if (this.thread) return this.thread;
    const thread = this.start(this.db.name, this.busyTimeoutMs);
    thread.worker.on('error', (error) => {
      this.threadGone ??= error.message;
    });
    thread.worker.on('exit', (code) => {
      if (!this.closed) this.threadGone ??= `it exited with code ${code}`;
    });
    this.thread = thread;
    return thread;
  }

  /** Takes in what the thread reported, forgets the batches it finished, and falls back if it is gone. */
  private collectReports(): void {
    const thread = this.thread;
    if (!thread) return;
    for (let message = receiveMessageOnPort(thread.results); message; message = receiveMessageOnPort(thread.results)) {
      const report = message.message as WriterThreadReport;
      if (report.kind === 'started') {
        // It wrote none of the batches it passed over: all of them are still to write.
        if (report.error) return this.fallBackToInline(report.error.message);
      } else {
        this.failures.set(report.runId, this.errorOf(report.error));
      }
    }
    const finished = Atomics.load(thread.signals, SIGNAL_PROGRESS);
    let done = 0;
    while (done < this.queued.length && BigInt(this.queued[done]?.number ?? 0) <= finished) done++;
    this.queued.splice(0, done);
    if (this.threadGone !== null) this.fallBackToInline(this.threadGone);
  }

  /**
   * The thread could not start or stopped: what it had not finished is written here, in order, and so is
   * every batch after. (A batch it finished is not written twice: `queued` holds only unfinished ones.)
   */
  private fallBackToInline(why: string): void {
    if (this.inline) return;
    console.warn(`War Room writes run events on the main thread: the writer thread is unavailable (${why}).`);
    const thread = this.thread;
    this.inline = new InlineEventWriter(this.db);
    this.thread = null;
    void thread?.worker.terminate();
    for (const { batch } of this.queued.splice(0)) {
      if (this.failures.has(batch.runId)) continue;
      try {
        this.writeInline(batch);
      } catch {
        // Recorded by writeInline: the run's next write or settle reports it.
      }
    }
  }

  private writeInline(batch: EventBatch): void {
    try {
      this.inline?.write(batch);
    } catch (error) {
      this.failures.set(batch.runId, error as Error);
      throw error;
    }
  }

  private errorOf(report: WriteErrorReport): Error {
    const error = Object.assign(new Error(report.message), report.code === null ? {} : { code: report.code });
    return toStorageError(error, this.db.name) ?? error;
  }
}
