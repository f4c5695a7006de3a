import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Proves the layer rules of DESIGN.md are enforced by lint: each case lints a one-line file at a path
 * inside a layer and expects `no-restricted-imports` to fire (or not). Removing a rule from
 * eslint.config.js makes the matching case fail.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['src-renderer/features/x.ts', "import { createWarRoom } from '../../src-main/app';\nexport { createWarRoom };"],
    ['src-renderer/features/x.ts', "import fs from 'node:fs';\nexport { fs };"],
    ['src-renderer/features/x.ts', "import fs from 'fs';\nexport { fs };"],
    ['src-renderer/features/x.ts', "import { ipcRenderer } from 'electron';\nexport { ipcRenderer };"],
    ['src-main/engine/scheduler.ts', "import { app } from 'electron';\nexport { app };"],
    [
      'src-main/engine/scheduler.ts',
      "import { AnthropicProvider } from '../llm/anthropic';\nexport { AnthropicProvider };",
    ],
    [
      'src-main/engine/scheduler.ts',
      "import { SecretRedactor } from '../privacy/redactor';\nexport { SecretRedactor };",
    ],
    ['src-main/store/x.ts', "import { app } from 'electron';\nexport { app };"],
    [
      'src-main/store/x.ts',
      "import { startBrowserServer } from '../host/server/browser-server';\nexport { startBrowserServer };",
    ],
    ['src-shared/x.ts', "import fs from 'node:fs';\nexport { fs };"],
    ['src-shared/x.ts', "import React from 'react';\nexport { React };"],
    ['src-shared/x.ts', "import { createWarRoom } from '../src-main/app';\nexport { createWarRoom };"],
    ['src-shared/x.test.ts', "import { createWarRoom } from '../src-main/app';\nexport { createWarRoom };"],
    ['src-preload/x.ts', "import { createWarRoom } from '../src-main/app';\nexport { createWarRoom };"],
  ])('rejects in %s: %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).not.toEqual([]);
  });

  it.each([
    ['src-renderer/features/x.ts', "import { contract } from '@shared/contract';\nexport { contract };"],
    ['src-main/engine/scheduler.ts', "import type { LlmProvider } from '../llm/port';\nexport type { LlmProvider };"],
    ['src-main/engine/scheduler.ts', "import type { Redactor } from '../privacy/port';\nexport type { Redactor };"],
    ['src-main/host/electron/x.ts', "import { app } from 'electron';\nexport { app };"],
    ['src-shared/x.ts', "import { z } from 'zod';\nexport { z };"],
    ['src-shared/x.test.ts', "import { it } from 'vitest';\nexport { it };"],
    ['src-preload/x.ts', "import { contextBridge } from 'electron';\nexport { contextBridge };"],
  ])('allows in %s: %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).toEqual([]);
  });
});
