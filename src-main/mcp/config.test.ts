import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { McpConfigError, parseMcpConfig } from './config';

const FILE = '/home/me/.warroom/mcp.json';

const serverName = fc.stringMatching(/^[A-Za-z0-9-]{1,12}(_[A-Za-z0-9-]{1,6})?$/);
const stringMap = fc.dictionary(fc.stringMatching(/^[A-Z_]{1,8}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 });
const stdioServer = fc.record(
  {
    command: fc.stringMatching(/^[a-z][a-z0-9/-]{0,15}$/),
    args: fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
    env: stringMap,
    cwd: fc.constant('/tmp'),
    policy: fc.constantFrom('allow', 'ask'),
    disabled: fc.boolean(),
  },
  { requiredKeys: ['command'] },
);
const remoteServer = fc.record(
  {
    type: fc.constantFrom('http', 'sse'),
    url: fc.constantFrom('http://127.0.0.1:3001/mcp', 'https://example.com/sse'),
    headers: stringMap,
    timeoutSeconds: fc.integer({ min: 1, max: 600 }),
  },
  { requiredKeys: ['type', 'url'] },
);
const validConfig = fc.record({
  mcpServers: fc.dictionary(serverName, fc.oneof(stdioServer, remoteServer), { maxKeys: 4 }),
});

/** A valid document with one value somewhere replaced by arbitrary JSON. */
const corrupted = fc
  .tuple(validConfig, fc.jsonValue({ maxDepth: 2 }), fc.nat(), fc.string({ maxLength: 10 }))
  .map(([config, junk, pick, key]) => {
    const names = Object.keys(config.mcpServers);
    const name = names[pick % Math.max(1, names.length)];
    if (!name) return { mcpServers: { [key || 'x']: junk } };
    const server = { ...(config.mcpServers[name] as Record<string, unknown>) };
    const fields = [...Object.keys(server), key || 'extra'];
    server[fields[pick % fields.length] ?? 'extra'] = junk;
    return { mcpServers: { ...config.mcpServers, [name]: server } };
  });

describe('parseMcpConfig (fast-check)', () => {
  it('accepts every well-formed mcpServers document', () => {
    fc.assert(
      fc.property(validConfig, (config) => {
        expect(Object.keys(parseMcpConfig(JSON.stringify(config), FILE).mcpServers)).toEqual(
          Object.keys(config.mcpServers),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('answers anything else with the file and, for each problem, its place', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      corrupted.map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(text, (input) => {
        try {
          parseMcpConfig(input, FILE);
        } catch (error) {
          expect(error).toBeInstanceOf(McpConfigError);
          const { problems, message } = error as McpConfigError;
          expect(message.startsWith(`${FILE}: `)).toBe(true);
          expect(problems.length).toBeGreaterThan(0);
          for (const problem of problems) {
            expect(problem.path).toMatch(/^(\(file\)|\(root\)|mcpServers)/);
            expect(problem.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('names the broken server, and the field when one was broken, among the problems (2,000 cases)', () => {
    const broken = fc
      .tuple(
        fc.dictionary(serverName, fc.oneof(stdioServer, remoteServer), { minKeys: 1, maxKeys: 4 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.nat(),
      )
      .map(([servers, junk, pick]) => {
        const names = Object.keys(servers);
        const name = names[pick % names.length] as string;
        const server = { ...(servers[name] as Record<string, unknown>) };
        const fields = Object.keys(server);
        const field = fields[pick % fields.length] as string;
        server[field] = junk;
        return { document: { mcpServers: { ...servers, [name]: server } }, name, field };
      });
    let refused = 0;
    fc.assert(
      fc.property(broken, ({ document, name, field }) => {
        try {
          parseMcpConfig(JSON.stringify(document), FILE);
        } catch (error) {
          refused++;
          const paths = (error as McpConfigError).problems.map((problem) => problem.path);
          const place = `mcpServers.${name}`;
          expect(
            paths.some((found) => found === place || found.startsWith(`${place}.`)),
            paths.join(', '),
          ).toBe(true);
          // A broken `type` or `command` leaves no kind of server it could be: the server itself is the place.
          if (field !== 'type' && field !== 'command') {
            expect(
              paths.some((found) => found.startsWith(`${place}.${field}`)),
              paths.join(', '),
            ).toBe(true);
          }
        }
      }),
      { numRuns: 2000 },
    );
    expect(refused).toBeGreaterThan(500);
  });

  it('names the server and field of a concrete mistake', () => {
    expect(() => parseMcpConfig('{"mcpServers":{"gh":{"command":""}}}', FILE)).toThrow(
      /mcp\.json: mcpServers\.gh\.command: the command is empty/,
    );
    expect(() => parseMcpConfig('{"mcpServers":{"web":{"type":"http","url":"ftp://x"}}}', FILE)).toThrow(
      /mcpServers\.web\.url: the URL must be http or https/,
    );
    expect(() => parseMcpConfig('{"mcpServers": {', FILE)).toThrow(/\(file\): not valid JSON/);
  });
});
