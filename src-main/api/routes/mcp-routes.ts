import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

export function mcpRoutes(os: ApiImplementer, app: WarRoom) {
  const { mcp } = app;
  return {
    list: os.mcp.list.handler(({ input }) => mcp.list(input.projectDir, input.connect)),
    test: os.mcp.test.handler(({ input }) => mcp.test(input.name, input.projectDir)),
    save: os.mcp.save.handler(({ input }) => mcp.saveServer(input.name, input.config)),
    remove: os.mcp.remove.handler(({ input }) => {
      mcp.removeServer(input.name);
      return { name: input.name };
    }),
    setEnabled: os.mcp.setEnabled.handler(({ input }) => mcp.setEnabled(input.name, input.enabled)),
    trustPrompts: os.mcp.trustPrompts.handler(() => mcp.trustPrompts()),
    decideTrust: os.mcp.decideTrust.handler(({ input }) => ({
      projectDir: input.projectDir,
      trusted: mcp.decideTrust(input.projectDir, input.hash, input.approve),
    })),
  };
}
