import { useEffect } from 'react';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { HealthBanner } from '../features/dashboard/HealthBanner';
import { MemoryPage } from '../features/memory/MemoryPage';
import { RunsPage } from '../features/runs/RunsPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { BuilderPage } from '../features/builder/BuilderPage';
import { AuditPage } from '../features/audit/AuditPage';
import { useConnection } from '../stores/connection';
import { PAGES, useNavigation, type PageId } from '../stores/navigation';

const PAGE_COMPONENTS: Record<PageId, () => React.JSX.Element> = {
  builder: BuilderPage,
  runs: RunsPage,
  memory: MemoryPage,
  dashboard: DashboardPage,
  settings: SettingsPage,
  audit: AuditPage,
};

export function App() {
  const page = useNavigation((store) => store.page);
  const go = useNavigation((store) => store.go);
  const Page = PAGE_COMPONENTS[page];

  useEffect(() => {
    // Ctrl/Cmd + 1…5 jumps between pages, like tabs in an editor.
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const target = PAGES.find((entry) => entry.shortcut === event.key);
      if (target) {
        event.preventDefault();
        go(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand" aria-label="War Room">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          War Room
        </div>
        <nav aria-label="Main">
          <ul>
            {PAGES.map((entry) => (
              <li key={entry.id}>
                <a
                  href={`#/${entry.id}`}
                  onClick={(event) => {
                    // Re-clicking "Builder" while editing goes back to the library, like any other link.
                    event.preventDefault();
                    go(entry.id);
                  }}
                  className="nav-link"
                  aria-current={entry.id === page ? 'page' : undefined}
                  title={`${entry.label} (Ctrl+${entry.shortcut})`}
                >
                  {entry.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <ConnectionBadge />
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        <HealthBanner />
        <Page />
      </main>
    </div>
  );
}

function ConnectionBadge() {
  const state = useConnection((store) => store.state);
  const transport = useConnection((store) => store.transport);
  const label = { connecting: 'Connecting…', connected: 'Connected', disconnected: 'Disconnected — retrying' }[state];
  return (
    <div className={`connection connection-${state}`} role="status" aria-live="polite" data-testid="connection-status">
      <span className="dot" aria-hidden="true" />
      {label}
      <span className="muted"> · {transport === 'electron' ? 'desktop' : 'browser'}</span>
    </div>
  );
}
