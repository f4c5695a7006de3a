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
    secrets: os.mcp.secrets.handler(() => mcp.secrets.names()),
    setSecret: os.mcp.setSecret.handler(({ input }) => {
      mcp.secrets.set(input.name, input.value);
      return mcp.secrets.names();
    }),
    clearSecret: os.mcp.clearSecret.handler(({ input }) => {
      mcp.secrets.clear(input.name);
      return mcp.secrets.names();
    }),
    decideTrust: os.mcp.decideTrust.handler(({ input }) => ({
      projectDir: input.projectDir,
      trusted: mcp.decideTrust(input.projectDir, input.hash, input.approve),
    })),
  };
}
