import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The packaging config and the desktop scripts, checked without building: a packaged app that cannot load
 * its native modules or find its sandbox images fails only on users' machines, so the config is a test.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
// electron-builder's own YAML parser (js-yaml) reads the file the same way here.
const { load: parseYaml } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  npmRebuild?: boolean;
}

const builderConfig = parseYaml(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

/** electron-builder's rule: a file is in when a pattern matches it and no later `!pattern` excludes it. */
function matchesPatterns(file: string, patterns: string[]): boolean {
  let included = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (minimatch(file, pattern.slice(1), { dot: true })) included = false;
    } else if (minimatch(file, pattern, { dot: true })) {
      included = true;
    }
  }
  return included;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

describe('electron-builder.yml', () => {
  it('unpacks the native modules from the asar archive (better-sqlite3 and sqlite-vec, every platform)', () => {
    const installed = [
      ...filesUnder('node_modules/better-sqlite3/build/Release').filter((file) => file.endsWith('.node')),
      ...fs
        .readdirSync(path.join(root, 'node_modules'))
        .filter((name) => name.startsWith('sqlite-vec-'))
        .flatMap((name) => filesUnder(`node_modules/${name}`).filter((file) => /vec0\.(so|dylib|dll)$/.test(file))),
    ];
    expect(installed).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(installed.some((file) => file.includes('sqlite-vec-'))).toBe(true);
    // The sqlite-vec packages of the other platforms are not installed here; their files are named alike.
    const otherPlatforms = [
      'node_modules/sqlite-vec-darwin-arm64/vec0.dylib',
      'node_modules/sqlite-vec-darwin-x64/vec0.dylib',
      'node_modules/sqlite-vec-windows-x64/vec0.dll',
      'node_modules/sqlite-vec-linux-arm64/vec0.so',
    ];
    for (const file of [...installed, ...otherPlatforms]) {
      expect(matchesPatterns(file, builderConfig.asarUnpack), file).toBe(true);
    }
    expect(matchesPatterns('out/main/index.js', builderConfig.asarUnpack)).toBe(false);
  });

  it('packs every sandbox image file and unpacks it for Docker and bash', () => {
    const imageFiles = filesUnder('sandbox-images');
    expect(imageFiles).toEqual(
      expect.arrayContaining(['sandbox-images/python/Dockerfile', 'sandbox-images/node/Dockerfile']),
    );
    for (const file of imageFiles) {
      expect(matchesPatterns(file, builderConfig.files), `${file} in files`).toBe(true);
      expect(matchesPatterns(file, builderConfig.asarUnpack), `${file} unpacked`).toBe(true);
    }
  });

  it('packs the built app and its resources, not the sources', () => {
    for (const file of ['out/main/index.js', 'out/renderer/index.html', 'resources/roles/coder.json', 'package.json']) {
      expect(matchesPatterns(file, builderConfig.files), file).toBe(true);
    }
    expect(matchesPatterns('out/main/index.js.map', builderConfig.files)).toBe(false);
    expect(matchesPatterns('src-main/app.ts', builderConfig.files)).toBe(false);
  });

  it("keeps electron-builder's rebuild of the native modules for Electron, which only sees production dependencies", () => {
    expect(builderConfig.npmRebuild).toBe(true);
    expect(Object.keys(packageJson.dependencies)).toEqual(expect.arrayContaining(['better-sqlite3', 'sqlite-vec']));
    expect(Object.keys(packageJson.devDependencies)).toContain('electron');
  });
});

describe('desktop scripts: better-sqlite3 built for Electron to run the app, for Node to run everything else', () => {
  const { scripts } = packageJson;

  it('rebuilds better-sqlite3 for Electron before the desktop app starts from a checkout', () => {
    expect(scripts['native:electron']).toMatch(/^electron-rebuild .*--only better-sqlite3/);
    expect(scripts['native:electron']).toContain('--force');
    expect(scripts.predev).toBe('npm run native:electron');
    expect(scripts.preapp).toBe('npm run native:electron');
  });

  it('puts the Node build back after the app, the packaging, and before anything that runs on Node', () => {
    for (const hook of ['postdev', 'postapp', 'postdist', 'pretest:unit', 'pretest:e2e', 'prewarroom', 'preserve']) {
      expect(scripts[hook], hook).toBe('npm run native:node');
    }
  });

  describe('native:node in a project whose better-sqlite3 does not load under this Node', () => {
    let projectDir = '';
    afterEach(() => fs.rmSync(projectDir, { recursive: true, force: true }));

    /**
     * A throwaway project with the real `native:node` script and a stand-in better-sqlite3: its binding
     * throws like an Electron build does under Node, and its install script (what `npm rebuild` runs)
     * replaces it with one that loads. The real module is not recompiled: that is minutes of CPU here.
     */
    const projectWithBinding = (loads: boolean) => {
      projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warroom-native-'));
      const moduleDir = path.join(projectDir, 'node_modules', 'better-sqlite3');
      fs.mkdirSync(path.join(moduleDir, 'build'), { recursive: true });
      fs.writeFileSync(
        path.join(projectDir, 'package.json'),
        JSON.stringify({
          name: 'native-check',
          version: '1.0.0',
          private: true,
          dependencies: { 'better-sqlite3': '1.0.0' },
          allowScripts: packageJson.allowScripts,
          scripts: { 'native:node': scripts['native:node'] },
        }),
      );
      fs.writeFileSync(
        path.join(moduleDir, 'package.json'),
        JSON.stringify({ name: 'better-sqlite3', version: '1.0.0', scripts: { install: 'node install.js' } }),
      );
      fs.writeFileSync(path.join(moduleDir, 'index.js'), "module.exports = require('./build/binding.js');\n");
      const working = 'module.exports = class Database { close() {} };\n';
      const electronBuild =
        "throw new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 145');\n";
      fs.writeFileSync(path.join(moduleDir, 'build', 'binding.js'), loads ? working : electronBuild);
      fs.writeFileSync(
        path.join(moduleDir, 'install.js'),
        `const fs = require('fs');\n` +
          `fs.writeFileSync(__dirname + '/build/binding.js', ${JSON.stringify(working)});\n` +
          `fs.appendFileSync(__dirname + '/../../rebuilds.log', 'rebuilt\\n');\n`,
      );
    };
    const runNativeNode = () =>
      execFileSync('npm', ['run', '--silent', 'native:node'], {
        cwd: projectDir,
        env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
        encoding: 'utf8',
      });
    const rebuilds = () => {
      const log = path.join(projectDir, 'rebuilds.log');
      return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
    };
    const loadsUnderNode = () => {
      const load = createRequire(path.join(projectDir, 'package.json'));
      const Database = load('better-sqlite3') as new (file: string) => { close(): void };
      new Database(':memory:').close();
      return true;
    };

    it('rebuilds it, after which it loads', () => {
      projectWithBinding(false);
      expect(loadsUnderNode).toThrow(/NODE_MODULE_VERSION 145/);
      runNativeNode();
      expect(rebuilds()).toBe(1);
      expect(loadsUnderNode()).toBe(true);
    });

    it('leaves a build that already loads alone (no rebuild on every test run)', () => {
      projectWithBinding(true);
      runNativeNode();
      runNativeNode();
      expect(rebuilds()).toBe(0);
    });
  });

  it('finds the Node build of this checkout in place', () => {
    expect(() =>
      execFileSync('npm', ['run', '--silent', 'native:node'], { cwd: root, encoding: 'utf8' }),
    ).not.toThrow();
    const Database = createRequire(path.join(root, 'package.json'))('better-sqlite3') as new (file: string) => {
      close(): void;
    };
    expect(() => new Database(':memory:').close()).not.toThrow();
  });
});
