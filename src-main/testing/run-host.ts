import type { RunEngine } from '../engine/engine';
import { openDatabase } from '../store/database';
import { createAnthropicEngine } from './anthropic-engine';

/**
 * A stand-alone host process for crash tests: opens the profile database, starts (or resumes) a run
 * of the workflow against the given Messages API, prints the run id, and waits for the run. The test
 * kills it with SIGKILL mid-run. The shipped role presets are loaded, as the app loads them, so teams can run.
 * Usage: run-host <database> <baseUrl> start <workflow.json> <projectDir> | resume <runId>
 */
const [databasePath, baseUrl, command, ...rest] = process.argv.slice(2);
if (!databasePath || !baseUrl || !command) throw new Error('usage: run-host <database> <baseUrl> start|resume …');
const { db } = openDatabase(databasePath);
const { engine } = createAnthropicEngine(db, baseUrl);
const { readFileSync } = await import('node:fs');
const run =
  command === 'start'
    ? engine.start({
        workflow: JSON.parse(readFileSync(rest[0] ?? '', 'utf8')) as Parameters<RunEngine['start']>[0]['workflow'],
        projectDir: rest[1] ?? process.cwd(),
        inputs: { task: 'crash test' },
      })
    : engine.resume(rest[0] ?? '');
console.log(`RUN ${run.id}`);
const finished = await engine.wait(run.id);
console.log(`STATUS ${finished.status}`);
db.close();
