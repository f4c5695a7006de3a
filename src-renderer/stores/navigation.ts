import { create } from 'zustand';

export const PAGES = [
  { id: 'builder', label: 'Builder', shortcut: '1' },
  { id: 'runs', label: 'Runs', shortcut: '2' },
  { id: 'memory', label: 'Memory', shortcut: '3' },
  { id: 'dashboard', label: 'Dashboard', shortcut: '4' },
  { id: 'settings', label: 'Settings', shortcut: '5' },
  { id: 'audit', label: 'Audit', shortcut: '6' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

/** Page "builder", item "wf-1" → `#/builder/wf-1`; the inverse of locationFromHash. */
export function hashOf(page: PageId, item: string | null = null): string {
  return item ? `#/${page}/${encodeURIComponent(item)}` : `#/${page}`;
}

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
  /** Asked before leaving the current place; returns false to stay (e.g. unsaved work the user keeps). */
  leaveGuard: (() => boolean) | null;
  go(page: PageId, item?: string | null): void;
  setLeaveGuard(guard: (() => boolean) | null): void;
}

/** The current page lives in the URL hash, so reload and back/forward keep the user's place. */
export const useNavigation = create<NavigationStore>((set, get) => ({
  ...locationFromHash(window.location.hash),
  leaveGuard: null,
  go(page, item = null) {
    const hash = hashOf(page, item);
    if (window.location.hash === hash) return;
    const guard = get().leaveGuard;
    if (guard && !guard()) return;
    set({ page, item });
    window.location.hash = hash.slice(1);
  },
  setLeaveGuard(guard) {
    set({ leaveGuard: guard });
  },
}));

// Back/forward buttons change the hash directly; the guard can only put the old place back.
window.addEventListener('hashchange', (event) => {
  const next = locationFromHash(window.location.hash);
  const { page, item, leaveGuard } = useNavigation.getState();
  if (next.page === page && next.item === item) return;
  if (leaveGuard && !leaveGuard()) {
    window.history.replaceState(null, '', new URL(event.oldURL).hash);
    return;
  }
  useNavigation.setState(next);
});
