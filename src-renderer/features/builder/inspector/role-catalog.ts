import { useEffect } from 'react';
import { create } from 'zustand';
import type { RolePresetSummary } from '@shared/catalog';
import { api } from '../../../stores/connection';

const useRoleStore = create<{ roles: RolePresetSummary[]; requested: boolean }>(() => ({
  roles: [],
  requested: false,
}));

/** The role presets, fetched once per page load and shared by every inspector. */
export function useRoles(): RolePresetSummary[] {
  const roles = useRoleStore((state) => state.roles);
  useEffect(() => {
    if (useRoleStore.getState().requested) return;
    useRoleStore.setState({ requested: true });
    api.roles.list().then(
      (list) => useRoleStore.setState({ roles: list }),
      () => useRoleStore.setState({ requested: false }),
    );
  }, []);
  return roles;
}
