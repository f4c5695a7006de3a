import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageBuildEvent } from '@shared/sandbox';
import { findSandboxImagesDir, ImageBuildError, ImageBuilder, imageExists, OFFLINE_BASE_IMAGE } from './images';
import { requireDockerEngine, testDocker } from './testing/sandbox-fixture';

const tempDirs: string[] = [];

/** A throwaway sandbox-images/ folder whose python image is the given Dockerfile. */
function imagesDirWith(dockerfile: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-images-'));
  tempDirs.push(dir);
  fs.mkdirSync(path.join(dir, 'python'));
  fs.writeFileSync(path.join(dir, 'python', 'Dockerfile'), dockerfile);
  return dir;
}

// A base no registry has: the FROM step fails on connected and offline machines alike.
const UNPULLABLE_BASE = 'ARG BASE=warroom-test/no-such-base:never\nFROM ${BASE}\n';
const builtTags: string[] = [];

describe('ImageBuilder on a real Docker engine', () => {
  beforeAll(async () => {
    await requireDockerEngine();
    // The real offline base, made through the app's own path (it is skipped when it already exists).
    const builder = new ImageBuilder({ docker: testDocker, imagesDir: findSandboxImagesDir, source: () => 'offline' });
    await builder.buildOfflineBase();
  }, 20 * 60_000);

  afterAll(async () => {
    await Promise.allSettled(builtTags.map((tag) => testDocker.getImage(tag).remove({ force: true })));
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('surfaces a failing build step (reported inside a 200 response) as a clear error', async () => {
    const imagesDir = imagesDirWith(`${UNPULLABLE_BASE}RUN echo about to fail && exit 3\n`);
    const builder = new ImageBuilder({ docker: testDocker, imagesDir: () => imagesDir, source: () => 'offline' });
    const build = builder.ensure('python');
    await expect(build).rejects.toBeInstanceOf(ImageBuildError);
    await expect(build).rejects.toThrow(/failed at step 3\/\d:[\s\S]*about to fail[\s\S]*non-zero code: 3/);
  });

  it('says so clearly when the public base image cannot be pulled', async () => {
    const imagesDir = imagesDirWith(`${UNPULLABLE_BASE}RUN true\n`);
    const builder = new ImageBuilder({ docker: testDocker, imagesDir: () => imagesDir, source: () => 'public' });
    await expect(builder.ensure('python')).rejects.toThrow(/the base image for python is not available/);
  });

  it('falls back to the offline base when the public one cannot be pulled, with progress events', async () => {
    const imagesDir = imagesDirWith(`${UNPULLABLE_BASE}RUN python3 -c "print('python3 from the offline base')"\n`);
    const isolatedBase = `warroom-test-base:${process.pid}`;
    builtTags.push(isolatedBase);
    const builder = new ImageBuilder({
      docker: testDocker,
      imagesDir: () => imagesDir,
      source: () => 'auto',
      offlineBaseImage: isolatedBase,
      // Stands in for debootstrap (the real script runs in beforeAll): the base it "makes" is the real one.
      runOfflineBaseScript: async (_script, tag, onLine) => {
        onLine('tagging the existing offline base');
        const [repo = tag, version = 'latest'] = tag.split(':');
        await testDocker.getImage(OFFLINE_BASE_IMAGE).tag({ repo, tag: version });
      },
    });
    const events: ImageBuildEvent[] = [];
    const tag = await builder.ensure('python', (event) => events.push(event));
    builtTags.push(tag);
    expect(await imageExists(testDocker, tag)).toBe(true);
    const messages = events.map((event) => event.message);
    expect(messages.some((message) => message.includes('using the offline base'))).toBe(true);
    expect(messages).toContain('python3 from the offline base');
    expect(events.at(-1)).toMatchObject({ image: tag, done: true });
  }, 120_000);
});
