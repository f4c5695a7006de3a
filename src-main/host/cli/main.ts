import { Command, InvalidArgumentError } from 'commander';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import packageJson from '../../../package.json';
import { createWarRoom } from '../../app';
import { databasePath, resolveProfileDir } from '../../profile';
import { toStorageError } from '../../store/storage-error';
import { DEFAULT_PORT, startBrowserServer } from '../server/browser-server';
import { formatDoctorTable, runDoctor } from './doctor';
import { registerSandboxCommands } from './sandbox-command';
import { registerMemoryCommands } from './memory-command';
import { registerRunCommands } from './run-command';
import { registerRunReportCommands } from './run-report-command';
import { registerMcpCommands } from './mcp-command';
import { registerAuditCommands } from './audit-command';
import { credentialEnvironmentSecrets } from '../../privacy/known-secrets';
import { SecretRedactor } from '../../privacy/redactor';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return port;
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => console.error(`Could not open a browser; open ${url} yourself.`));
  child.unref();
}

export function buildProgram(): Command {
  const program = new Command()
    .name('warroom')
    .description('War Room: design, run and watch teams of AI agents.')
    .version(packageJson.version, '-v, --version')
    .showHelpAfterError();

  program
    .command('serve')
    .description('serve the War Room UI and API to your browser on 127.0.0.1 (browser mode)')
    .option('-p, --port <port>', `port to listen on (0 = any free port; default ${DEFAULT_PORT})`, parsePort)
    .option('--open', 'open the UI in the default browser')
    .action(async (options: { port?: number; open?: boolean }) => {
      const profileDir = resolveProfileDir();
      const app = createWarRoom({ profileDir, host: 'browser', version: packageJson.version, monitorHealth: true });
      let server;
      try {
        server = await startBrowserServer({
          app,
          rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
          ...(options.port === undefined ? {} : { port: options.port, portIsExplicit: true }),
        });
      } catch (error) {
        app.close();
        throw error;
      }
      if (server.notice) console.log(server.notice);
      console.log(`War Room is serving at ${server.url}`);
      console.log(`Profile: ${profileDir}`);
      console.log('Press Ctrl+C to stop.');
      if (options.open) openInBrowser(server.url);
      const stop = () => {
        void server.close().then(() => {
          app.close();
          process.exit(0);
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  program
    .command('doctor')
    .description('check that this machine has what War Room needs')
    .option('--json', 'print the checks as JSON')
    .action(async (options: { json?: boolean }) => {
      const checks = await runDoctor({ profileDir: resolveProfileDir(), env: process.env });
      console.log(options.json ? JSON.stringify(checks, null, 2) : formatDoctorTable(checks));
      process.exitCode = checks.some((check) => check.status === 'fail') ? 1 : 0;
    });

  registerMemoryCommands(program);
  registerRunCommands(program);
  registerRunReportCommands(program);

  registerSandboxCommands(program);
  registerMcpCommands(program);
  registerAuditCommands(program);

  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((caught: unknown) => {
    // A full disk, a read-only profile or a lock met below the repositories is said as such too.
    const error = toStorageError(caught, databasePath(resolveProfileDir()), { duringWrite: false }) ?? caught;
    // No app may exist here (a broken profile): the environment's credentials still stay out of the message.
    const redactor = new SecretRedactor({ knownSecrets: () => credentialEnvironmentSecrets(process.env) });
    console.error(`warroom: ${redactor.redactKnown(error instanceof Error ? error.message : String(error))}`);
    process.exit(1);
  });
