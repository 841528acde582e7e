// Top bar: app name, who is signed in, the connection indicator and the two tabs.
import type { Route } from '../app';
import type { SnapshotView } from '../bridge-types';
import { useApp } from '../context';

export function Header({
  snapshot,
  route,
  onNavigate,
}: {
  snapshot: SnapshotView;
  route: Route;
  onNavigate: (route: Route) => void;
}) {
  const { t, fmt } = useApp();
  const kind = snapshot.connection.kind;
  // A claim is opened from the queue, so the queue tab stays current while one is shown.
  const queueTabCurrent = route.view !== 'settings';
  return (
    <header class="header">
      <div class="brand">
        <span class="brand-name">{t.appName}</span>
        {snapshot.user && (
          <span class="who" title={t.signedInAs(snapshot.user.name)}>
            {t.signedInAs(snapshot.user.name)}
          </span>
        )}
      </div>
      <nav class="tabs" aria-label={t.appName}>
        <button
          type="button"
          class="tab"
          aria-current={queueTabCurrent ? 'page' : undefined}
          onClick={() => onNavigate({ view: 'queue' })}
        >
          {t.queueTab}
          {/* An empty queue needs no "0": the badge hides (it stays in the DOM, so it still counts). */}
          <span class="badge" data-testid="queue-badge" hidden={snapshot.queue.length === 0}>
            {fmt.count(snapshot.queue.length)}
          </span>
        </button>
        <button
          type="button"
          class="tab"
          aria-current={queueTabCurrent ? undefined : 'page'}
          onClick={() => onNavigate({ view: 'settings' })}
        >
          {t.settingsTab}
        </button>
      </nav>
      <output
        class={`connection connection-${kind}`}
        data-testid="connection"
        data-state={kind}
        title={t.connection(kind)}
      >
        <span class="dot" aria-hidden="true" />
        {/* At tray size only the dot shows (the header must stay on one line); the words stay for
            screen readers and as the tooltip. */}
        <span class="connection-text">{t.connection(kind)}</span>
      </output>
    </header>
  );
}
