/**
 * War Room's in-container runner for Node.js (same protocol as sandbox-images/python/runner.py).
 *
 * It is the container's main process. It announces itself, reads one request (a JSON line on stdin),
 * runs the program as a child in its own process group, and streams everything back as frames on
 * stdout: 1 byte of kind, 4 bytes of big-endian length, the payload. Kinds: R ready, O program stdout,
 * E program stderr, A artifact (JSON header, newline, bytes), X exit. After one program it exits: every
 * execution gets a fresh container. Time limits are enforced by the host, which kills the whole container.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const OUTPUT_DIR = '/out';
const PROGRAM_DIR = '/tmp/program';

// Synchronous writes on fd 1 keep frames whole and in order; fd 1 is left in blocking mode because
// process.stdout is never touched.
function send(kind, payload) {
  const header = Buffer.alloc(5);
  header.write(kind, 0, 'latin1');
  header.writeUInt32BE(payload.length, 1);
  const frame = Buffer.concat([header, payload]);
  let offset = 0;
  while (offset < frame.length) offset += fs.writeSync(1, frame, offset);
}

function sendJson(kind, value) {
  send(kind, Buffer.from(JSON.stringify(value)));
}

function readRequestLine() {
  const chunks = [];
  const buffer = Buffer.alloc(65536);
  for (;;) {
    let read;
    try {
      read = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if (error.code === 'EAGAIN') continue;
      if (error.code === 'EOF') return null;
      throw error;
    }
    if (read === 0) return chunks.length ? Buffer.concat(chunks).toString('utf8') : null;
    const newline = buffer.subarray(0, read).indexOf(10);
    if (newline >= 0) {
      chunks.push(Buffer.from(buffer.subarray(0, newline)));
      return Buffer.concat(chunks).toString('utf8');
    }
    chunks.push(Buffer.from(buffer.subarray(0, read)));
  }
}

/** How many processes the kernel's OOM killer has killed in this container's cgroup (v2, then v1). */
function oomKillCount() {
  for (const file of ['/sys/fs/cgroup/memory.events', '/sys/fs/cgroup/memory/memory.oom_control']) {
    try {
      const match = /^oom_kill (\d+)$/m.exec(fs.readFileSync(file, 'utf8'));
      if (match) return Number(match[1]);
    } catch {
      // Not this cgroup layout; try the next.
    }
  }
  return 0;
}

function collectArtifacts(limitBytes) {
  let sent = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      if (!entry.isFile()) continue;
      const relative = path.relative(OUTPUT_DIR, full);
      const size = fs.statSync(full).size;
      if (sent + size > limitBytes) {
        send(
          'A',
          Buffer.from(JSON.stringify({ path: relative, size, skipped: 'over the artifact size limit' }) + '\n'),
        );
        continue;
      }
      const data = fs.readFileSync(full);
      sent += data.length;
      send('A', Buffer.concat([Buffer.from(JSON.stringify({ path: relative, size: data.length }) + '\n'), data]));
    }
  };
  walk(OUTPUT_DIR);
}

function main() {
  sendJson('R', { runner: 'node', version: process.versions.node });
  const line = readRequestLine();
  if (line === null) return;
  const request = JSON.parse(line);
  fs.mkdirSync(PROGRAM_DIR, { recursive: true });
  const file = path.join(PROGRAM_DIR, 'main.js');
  fs.writeFileSync(file, request.code);
  const oomBefore = oomKillCount();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [file], {
    cwd: request.cwd || '/tmp',
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => send('O', chunk));
  child.stderr.on('data', (chunk) => send('E', chunk));
  child.stdin.on('error', () => {});
  child.stdin.end(request.stdin || '');
  // The host went away (its attachment closed): stop everything, leave nothing running.
  process.stdin.on('end', () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } finally {
      process.exit(1);
    }
  });
  process.stdin.resume();
  child.on('error', (error) => send('E', Buffer.from(`runner: ${error.message}\n`)));
  child.on('close', (code, signal) => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    try {
      // Whatever the program left running in its process group goes with it.
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    collectArtifacts(Number(request.maxArtifactBytes || 0));
    sendJson('X', {
      exitCode: signal ? 128 + os.constants.signals[signal] : code,
      signal: signal || null,
      outOfMemory: oomKillCount() > oomBefore,
      durationMs,
    });
    process.exit(0);
  });
}

main();
