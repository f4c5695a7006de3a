import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_IN_TOOL_IMPLEMENTATIONS, type ToolEnvironment } from './tools';

describe('file tools and secret files', () => {
  let projectDir: string;
  beforeEach(() => {
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-sensitive-'));
    fs.mkdirSync(path.join(projectDir, 'keys'));
    fs.writeFileSync(path.join(projectDir, '.env'), 'TOKEN=x\n');
    fs.writeFileSync(path.join(projectDir, 'keys', 'deploy.pem'), 'key\n');
    fs.writeFileSync(path.join(projectDir, '.env.example'), 'TOKEN=\n');
    fs.symlinkSync('.env', path.join(projectDir, 'settings.txt'));
  });
  afterEach(() => fs.rmSync(projectDir, { recursive: true, force: true }));

  const environment = (allowSensitivePaths: string[] = []): ToolEnvironment => ({
    projectDir,
    sandbox: null,
    memory: null,
    scratchpad: new Map(),
    runId: 'run',
    nodeId: 'agent',
    signal: new AbortController().signal,
    audit: null,
    allowSensitivePaths,
  });
  const read = (file: string, allowed?: string[]) =>
    BUILT_IN_TOOL_IMPLEMENTATIONS.read_file.run({ path: file }, environment(allowed));
  const write = (file: string, allowed?: string[]) =>
    BUILT_IN_TOOL_IMPLEMENTATIONS.write_file.run({ path: file, content: 'new' }, environment(allowed));

  it('refuses to read or write them, saying why and how to allow one', async () => {
    await expect(read('.env')).rejects.toThrow(
      '".env" is refused: it is an environment file, which holds secrets. To let agents use it, list ".env" in allowSensitivePaths in this node\'s config.',
    );
    await expect(read('./keys/deploy.pem')).rejects.toThrow('"keys/deploy.pem" is refused: it is a private key');
    await expect(write('config/.npmrc')).rejects.toThrow('"config/.npmrc" is refused: it is a credentials file');
    expect(fs.existsSync(path.join(projectDir, 'config'))).toBe(false);
    expect(await read('.env.example')).toBe('TOKEN=\n');
  });

  it('refuses a link that leads to one, naming where it leads', async () => {
    await expect(read('settings.txt')).rejects.toThrow(
      '"settings.txt" is refused: it is an environment file (it leads to ".env")',
    );
    await expect(read('settings.txt', ['settings.txt'])).rejects.toThrow('list ".env" in allowSensitivePaths');
  });

  it('reads and writes exactly the paths the workflow allows', async () => {
    expect(await read('.env', ['.env'])).toBe('TOKEN=x\n');
    expect(await read('settings.txt', ['settings.txt', '.env'])).toBe('TOKEN=x\n');
    await expect(read('keys/deploy.pem', ['.env'])).rejects.toThrow('is refused');
    expect(await write('keys/deploy.pem', ['keys/deploy.pem'])).toBe('wrote 3 bytes to keys/deploy.pem');
  });
});
