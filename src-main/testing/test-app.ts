import { createRouterClient } from '@orpc/server';
import fs from 'node:fs';
import path from 'node:path';
import { createRouter } from '../api/router';
import { createWarRoom, type WarRoom } from '../app';
import {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
  type FakeScript,
} from '../llm/testing/fake-anthropic-server';
import { makeTempProfile } from './temp-profile';

/**
 * Test support: a real app on a throwaway profile whose Claude calls go to a local fake server.
 * Memory synthesis after runs is off, so the fake server sees only the agents' calls, which tests count
 * (synthesis has its own tests in src-main/memory/engine-memory.test.ts).
 */
export function createAppWithFakeModel(profileDir: string, fakeModelUrl: string): WarRoom {
  const app = createWarRoom({
    profileDir,
    host: 'browser',
    version: '0.0.0-test',
    env: { ANTHROPIC_API_KEY: 'test-key' },
    memoryEmbedder: null,
  });
  app.settings.update({
    llm: { anthropicBaseUrl: fakeModelUrl, model: 'claude-sonnet-4-6' },
    memory: { synthesizeAfterRuns: false },
  });
  return app;
}

/** The API as the transports serve it, called in-process (no transport in between). */
export function apiClientOf(app: WarRoom) {
  return createRouterClient(createRouter(app, { logError: () => {} }));
}

/** A real app on a throwaway folder, its model the local fake, with the API called in-process. */
export interface AppWithFakeModel {
  /** The throwaway folder: the profile is its `profile/`, the folder itself serves as the project. */
  dir: string;
  server: FakeAnthropicServer;
  app: WarRoom;
  client: ReturnType<typeof apiClientOf>;
  /** Lets live runs settle, closes the app and the fake, removes the folder (for afterEach). */
  close(): Promise<void>;
}

/** Opens an app whose model is a fresh fake server answering with `script` (for the API route tests). */
export async function openAppWithFakeModel(prefix: string, script: FakeScript): Promise<AppWithFakeModel> {
  const dir = makeTempProfile(prefix);
  const server = await startFakeAnthropicServer(script);
  const app = createAppWithFakeModel(path.join(dir, 'profile'), server.url);
  return {
    dir,
    server,
    app,
    client: apiClientOf(app),
    async close() {
      await app.runs.shutdown();
      app.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One throwaway profile that apps open in turn (as successive CLI processes do), their model one local fake. */
export interface ProfileWithFakeModel {
  /** The throwaway folder: the profile is its `profile/`, the folder itself serves as the project. */
  dir: string;
  server: FakeAnthropicServer;
  /** A new app on the profile; close() closes it if the test has not. */
  openApp(): WarRoom;
  /** Closes the apps and the fake, removes the folder (for afterEach). */
  close(): Promise<void>;
}

export async function openProfileWithFakeModel(prefix: string, script: FakeScript): Promise<ProfileWithFakeModel> {
  const dir = makeTempProfile(prefix);
  const server = await startFakeAnthropicServer(script);
  const apps: WarRoom[] = [];
  return {
    dir,
    server,
    openApp() {
      const app = createAppWithFakeModel(path.join(dir, 'profile'), server.url);
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps.splice(0)) app.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Test support: apps on throwaway profiles, each with an in-process API client. `closeAll()` (in afterEach)
 * waits for `settle` (the part the test started: its MCP servers, its containers), closes each app and
 * removes its profile.
 */
export function throwawayApps(prefix: string, settle: (app: WarRoom) => Promise<void>) {
  const opened: Array<{ app: WarRoom; profileDir: string }> = [];
  return {
    open(env: NodeJS.ProcessEnv = {}) {
      const profileDir = makeTempProfile(prefix);
      const app = createWarRoom({ profileDir, host: 'browser', version: 'test', env, memoryEmbedder: null });
      opened.push({ app, profileDir });
      return { app, profileDir, client: apiClientOf(app) };
    },
    async closeAll() {
      for (const { app, profileDir } of opened.splice(0)) {
        await settle(app);
        app.close();
        fs.rmSync(profileDir, { recursive: true, force: true });
      }
    },
  };
}
