import { useEffect } from 'react';
import { create } from 'zustand';
import type { McpServerStatus } from '@shared/mcp';
import { api } from '../../../stores/connection';
import { describeError } from '../../../api/errors';

interface McpCatalog {
  servers: McpServerStatus[];
  loading: boolean;
  error: string | null;
  requested: boolean;
}

const useMcpCatalog = create<McpCatalog>(() => ({ servers: [], loading: false, error: null, requested: false }));

/** Connects the configured servers (starting them on first use) and keeps their tool lists for every inspector. */
export function refreshMcpTools(): void {
  useMcpCatalog.setState({ loading: true, error: null, requested: true });
  api.mcp.list({ connect: true }).then(
    (servers) => useMcpCatalog.setState({ servers, loading: false }),
    (cause: unknown) => useMcpCatalog.setState({ loading: false, error: describeError(cause) }),
  );
}

/** The MCP servers with their tools, fetched once per page load (refreshMcpTools fetches again). */
export function useMcpTools(): McpCatalog {
  const catalog = useMcpCatalog();
  useEffect(() => {
    if (!useMcpCatalog.getState().requested) refreshMcpTools();
  }, []);
  return catalog;
}
