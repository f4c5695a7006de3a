/**
 * A host that is killed mid-run, for the tests: it runs an endless program in a warm container, says
 * "running" on stdout, then waits to be SIGKILLed.
 */
import { DockerSandbox } from '../docker-sandbox';
import { TEST_LIMITS } from './sandbox-fixture';

const profileDir = process.argv[2];
if (!profileDir) throw new Error('usage: crashing-host.ts <profileDir>');
const sandbox = new DockerSandbox({ profileDir, limits: () => ({ ...TEST_LIMITS, warmPoolSize: 1 }) });
sandbox.warmUp('python');
await sandbox.settled();
void sandbox.execute(
  {
    language: 'python',
    code: 'import time\nprint("looping", flush=True)\nwhile True: time.sleep(1)',
    timeoutMs: 600_000,
  },
  { onOutput: () => process.stdout.write('running\n') },
);
