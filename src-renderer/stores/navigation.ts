import { create } from 'zustand';

export const PAGES = [
  { id: 'builder', label: 'Builder', shortcut: '1' },
  { id: 'runs', label: 'Runs', shortcut: '2' },
  { id: 'memory', label: 'Memory', shortcut: '3' },
  { id: 'dashboard', label: 'Dashboard', shortcut: '4' },
  { id: 'settings', label: 'Settings', shortcut: '5' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

/** `#/builder/wf-1` → page "builder", item "wf-1". */
function locationFromHash(hash: string): { page: PageId; item: string | null } {
  const [id = '', item = ''] = hash.replace(/^#\/?/, '').split('/');
  const page = PAGES.find((entry) => entry.id === id)?.id ?? 'builder';
  return { page, item: item ? decodeURIComponent(item) : null };
}

interface NavigationStore {
  page: PageId;
  /** The item the page shows, e.g. the workflow open in the Builder. */
  item: string | null;
  go(page: PageId, item?: string | null): void;
}

/** The current page lives in the URL hash, so reload and back/forward keep the user's place. */
export const useNavigation = create<NavigationStore>((set) => ({
  ...locationFromHash(window.location.hash),
  go(page, item = null) {
    const hash = item ? `#/${page}/${encodeURIComponent(item)}` : `#/${page}`;
    if (window.location.hash !== hash) window.location.hash = hash.slice(1);
    set({ page, item });
  },
}));

window.addEventListener('hashchange', () => useNavigation.setState(locationFromHash(window.location.hash)));
