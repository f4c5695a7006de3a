import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/** Test support (run as a process): a server whose tool list grows when `add_tool` is called. */
const server = new McpServer({ name: 'changing-tools', version: '1.0.0' });
server.registerTool('add_tool', { description: 'Adds the tool "added".' }, () => {
  server.registerTool('added', { description: 'Added at run time.' }, () => ({
    content: [{ type: 'text', text: 'added' }],
  }));
  return { content: [{ type: 'text', text: 'one more tool' }] };
});
await server.connect(new StdioServerTransport());
