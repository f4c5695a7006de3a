import Docker from 'dockerode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dockerOptionsFrom, probeDockerEngine } from '../docker-engine';
import { DockerSandbox, LABEL, type DockerSandboxOptions, type SandboxLimits } from '../docker-sandbox';
import { findSandboxImagesDir, ImageBuilder } from '../images';
import type { SandboxLanguage } from '../port';

/** Small limits so the hostile programs in the tests hit them quickly. */
export const TEST_LIMITS: SandboxLimits = {
  timeoutSeconds: 20,
  memoryMb: 192,
  cpus: 1,
  pidsLimit: 64,
  tmpfsMb: 64,
  outputCapKb: 64,
  warmPoolSize: 0,
  idleTimeoutSeconds: 300,
  imageSource: 'auto',
};

/**
 * Fails (never skips) when there is no Docker engine: the sandbox tests are worthless without one and CI
 * always starts it.
 */
export async function requireDockerEngine(): Promise<void> {
  const engine = await probeDockerEngine(process.env);
  if (!engine.reachable) {
    throw new Error(`The sandbox tests need a running Docker engine. ${engine.error ?? ''}`);
  }
}

/** A sandbox on a throwaway profile; `cleanup` closes it and removes any container labelled with that profile. */
export function createTestSandbox(limits: Partial<SandboxLimits> = {}, options: Partial<DockerSandboxOptions> = {}) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-sandbox-test-'));
  const sandbox = new DockerSandbox({
    profileDir,
    limits: () => ({ ...TEST_LIMITS, ...limits }),
    ...options,
  });
  return {
    sandbox,
    profileDir,
    containersOfProfile: () => containersOfProfile(profileDir),
    cleanup: async () => {
      await sandbox.close();
      await removeContainersOfProfile(profileDir);
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

export const testDocker = new Docker(dockerOptionsFrom(process.env));

/**
 * Builds the language's sandbox image when it is missing, the way the app does on first use. For tests
 * whose subject is not the build (a fresh CI machine has no images, and an offline build takes minutes).
 */
export async function ensureSandboxImage(language: SandboxLanguage): Promise<string> {
  const builder = new ImageBuilder({ docker: testDocker, imagesDir: findSandboxImagesDir, source: () => 'auto' });
  return builder.ensure(language);
}

export async function containersOfProfile(profileDir: string): Promise<Docker.ContainerInfo[]> {
  return testDocker.listContainers({ all: true, filters: { label: [`${LABEL.profile}=${profileDir}`] } });
}

async function removeContainersOfProfile(profileDir: string): Promise<void> {
  const leftovers = await containersOfProfile(profileDir);
  await Promise.allSettled(leftovers.map((info) => testDocker.getContainer(info.Id).remove({ force: true })));
}

/** Polls until the condition holds or the time is up; returns whether it held. */
export async function eventually(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
