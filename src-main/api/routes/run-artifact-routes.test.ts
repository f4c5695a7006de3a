import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import { runArtifactsDir } from '../../profile';
import { openAppWithFakeModel, type AppWithFakeModel } from '../../testing/test-app';

const workflow = chainWorkflow([['writer', 'agent', { prompt: 'Write about {{in}}' }]]);
// Bytes that are not valid UTF-8, so a text round trip would spoil them.
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80]);
// A GitHub token shape, which the redactor's secretlint rules know.
const TOKEN = `ghp_${'A1b2C3d4E5'.repeat(3)}abcdef`;

describe('runs.artifact', () => {
  let api: AppWithFakeModel;
  let runId: string;
  let folder: string;
  beforeEach(async () => {
    api = await openAppWithFakeModel('warroom-run-artifact-api-', () => ({ text: 'done' }));
    const run = await api.client.runs.start({ workflow, projectDir: api.dir, inputs: { task: 'tea' } });
    runId = (await api.app.runs.wait(run.id)).id;
    // Where the sandbox copies a code node's /out (the real copy is tested with Docker in src-main/sandbox).
    folder = path.join(runArtifactsDir(path.join(api.dir, 'profile'), runId), 'code', 'plot_1');
    fs.mkdirSync(path.join(folder, 'tables'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'dot.png'), BINARY);
    fs.writeFileSync(path.join(folder, 'tables', 'rows.csv'), `n,key\n1,${TOKEN}\n`);
  });
  afterEach(() => api.close());

  it('returns an artifact’s bytes and media type, byte for byte', async () => {
    const image = await api.client.runs.artifact({ runId, path: 'code/plot_1/dot.png' });
    expect(image).toMatchObject({
      path: 'code/plot_1/dot.png',
      mediaType: 'image/png',
      sizeBytes: 12,
      redacted: false,
    });
    expect(Buffer.from(image.base64, 'base64').equals(BINARY)).toBe(true);
  });

  it('redacts a text artifact when serving it', async () => {
    const table = await api.client.runs.artifact({ runId, path: 'code/plot_1/tables/rows.csv' });
    const text = Buffer.from(table.base64, 'base64').toString('utf8');
    expect(table).toMatchObject({ mediaType: 'text/csv', redacted: true });
    expect(text).not.toContain(TOKEN);
    expect(text).toMatch(/^n,key\n1,\[REDACTED:[^\]]+\]\n$/);
    // The file itself is left as the program wrote it.
    expect(fs.readFileSync(path.join(folder, 'tables', 'rows.csv'), 'utf8')).toContain(TOKEN);
  });

  it('refuses paths that leave the run’s folder, with a clear error', async () => {
    const secret = path.join(api.dir, 'profile', 'outside.txt');
    fs.writeFileSync(secret, 'not an artifact');
    for (const bad of ['../outside.txt', 'code/../../outside.txt', '/etc/passwd', 'code\\..\\..\\outside.txt']) {
      const error = await api.client.runs.artifact({ runId, path: bad }).then(
        () => null,
        (reason: unknown) => reason as { code: string; message: string; data?: unknown },
      );
      expect(error?.code).toBe('BAD_REQUEST');
      // The schema's issue says why, whichever layer refused it.
      expect(JSON.stringify([error?.message, error?.data])).toContain("inside the run's folder");
    }
    // Nor through a link planted inside it.
    fs.symlinkSync(secret, path.join(folder, 'link.txt'));
    await expect(api.client.runs.artifact({ runId, path: 'code/plot_1/link.txt' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('names what is missing: an unknown file or run', async () => {
    await expect(api.client.runs.artifact({ runId, path: 'code/plot_1/none.png' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('none.png') as unknown,
    });
    await expect(api.client.runs.artifact({ runId: 'no-such-run', path: 'a.png' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
