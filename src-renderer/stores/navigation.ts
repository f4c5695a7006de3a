import { create } from 'zustand';

export const PAGES = [
  { id: 'builder', label: 'Builder', shortcut: '1' },
  { id: 'runs', label: 'Runs', shortcut: '2' },
  { id: 'memory', label: 'Memory', shortcut: '3' },
  { id: 'dashboard', label: 'Dashboard', shortcut: '4' },
  { id: 'settings', label: 'Settings', shortcut: '5' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '');
  return PAGES.find((page) => page.id === id)?.id ?? 'builder';
}

interface NavigationStore {
  page: PageId;
  go(page: PageId): void;
}

/** The current page lives in the URL hash, so reload and back/forward keep the user's place. */
export const useNavigation = create<NavigationStore>((set) => ({
  page: pageFromHash(window.location.hash),
  go(page) {
    if (window.location.hash !== `#/${page}`) window.location.hash = `/${page}`;
    set({ page });
  },
}));

window.addEventListener('hashchange', () => useNavigation.setState({ page: pageFromHash(window.location.hash) }));
