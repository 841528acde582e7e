// Top bar: app name, who is signed in, the connection indicator and the tabs (Queue, Done, My claims,
// Settings). At tray size the tabs tighten and Settings shows as a gear, so the bar stays on one line.
import { connectionLabelOf } from '../../main/common/connection-label';
import { listOf, type Route } from '../app';
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
  // Online by long-poll has its own words (a proxy blocks WebSocket); it looks online all the same.
  const label = connectionLabelOf(snapshot.connection);
  // A claim opened from a list keeps that list's tab current (the queue's, unless opened from Done or
  // My claims).
  const list = listOf(route);
  const current: 'queue' | 'done' | 'mine' | 'settings' =
    route.view === 'settings' ? 'settings' : (list ?? 'queue');
  const page = (tab: typeof current) => (current === tab ? 'page' : undefined);
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
          data-testid="tab-queue"
          aria-current={page('queue')}
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
          data-testid="tab-done"
          aria-current={page('done')}
          onClick={() => onNavigate({ view: 'done' })}
        >
          {t.doneTab}
        </button>
        <button
          type="button"
          class="tab"
          data-testid="tab-mine"
          aria-current={page('mine')}
          onClick={() => onNavigate({ view: 'mine' })}
        >
          {t.mineTab}
        </button>
        <button
          type="button"
          class="tab tab-settings"
          aria-current={page('settings')}
          title={t.settingsTab}
          onClick={() => onNavigate({ view: 'settings' })}
        >
          {/* At tray size only the gear shows; the word stays for screen readers (the button's name). */}
          <span class="tab-icon" aria-hidden="true">
            ⚙
          </span>
          <span class="tab-text">{t.settingsTab}</span>
        </button>
      </nav>
      <output
        class={`connection connection-${kind}`}
        data-testid="connection"
        data-state={kind}
        data-via={label === 'online-long-poll' ? 'long-poll' : undefined}
        title={t.connection(label)}
      >
        <span class="dot" aria-hidden="true" />
        {/* At tray size only the dot shows (the header must stay on one line); the words stay for
            screen readers and as the tooltip. */}
        <span class="connection-text">{t.connection(label)}</span>
      </output>
    </header>
  );
}
