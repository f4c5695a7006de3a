import fs from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * Test support (run as a process) for what the reference servers cannot show: `add_tool` grows the tool
 * list (the SDK announces tools/list_changed), and `wait_for_cancel` runs until the client cancels it,
 * then writes the file named by CANCEL_MARK, proving the cancel notification arrived.
 */
const server = new McpServer({ name: 'warroom-fixture', version: '1.0.0' });

server.registerTool('add_tool', { description: 'Adds the tool "added".' }, () => {
  server.registerTool('added', { description: 'Added at run time.' }, () => ({
    content: [{ type: 'text', text: 'added' }],
  }));
  return { content: [{ type: 'text', text: 'one more tool' }] };
});

server.registerTool('wait_for_cancel', { description: 'Runs until cancelled.' }, (extra) => {
  return new Promise((resolve) => {
    extra.signal.addEventListener('abort', () => {
      if (process.env.CANCEL_MARK) fs.writeFileSync(process.env.CANCEL_MARK, 'cancelled');
      resolve({ content: [{ type: 'text', text: 'cancelled' }] });
    });
  });
});

await server.connect(new StdioServerTransport());
