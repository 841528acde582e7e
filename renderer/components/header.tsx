// Top bar: app name, who is signed in, the connection indicator and the tabs (Queue, Done, My claims,
// Settings). At tray size the tabs tighten and Settings shows as a gear, so the bar stays on one line.
import type { ComponentChildren } from 'preact';
import { connectionLabelOf } from '../../main/common/connection-label';
import { listOf, type Route } from '../app';
import type { SnapshotView } from '../bridge-types';
import { useApp } from '../context';

type TabId = 'queue' | 'done' | 'mine' | 'settings';

/** One tab: the page it opens is `aria-current` while shown. */
function Tab({
  id,
  current,
  onNavigate,
  testId,
  title,
  children,
}: {
  id: TabId;
  current: TabId;
  onNavigate: (route: Route) => void;
  testId?: string;
  title?: string;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      class={id === 'settings' ? 'tab tab-settings' : 'tab'}
      data-testid={testId}
      aria-current={current === id ? 'page' : undefined}
      title={title}
      onClick={() => onNavigate({ view: id })}
    >
      {children}
    </button>
  );
}

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
  const current: TabId = route.view === 'settings' ? 'settings' : (list ?? 'queue');
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
        <Tab id="queue" current={current} onNavigate={onNavigate} testId="tab-queue">
          {t.queueTab}
          {/* An empty queue needs no "0": the badge hides (it stays in the DOM, so it still counts). */}
          <span class="badge" data-testid="queue-badge" hidden={snapshot.queue.length === 0}>
            {fmt.count(snapshot.queue.length)}
          </span>
        </Tab>
        <Tab id="done" current={current} onNavigate={onNavigate} testId="tab-done">
          {t.doneTab}
        </Tab>
        <Tab id="mine" current={current} onNavigate={onNavigate} testId="tab-mine">
          {t.mineTab}
        </Tab>
        <Tab id="settings" current={current} onNavigate={onNavigate} title={t.settingsTab}>
          {/* At tray size only the gear shows; the word stays for screen readers (the button's name). */}
          <span class="tab-icon" aria-hidden="true">
            ⚙
          </span>
          <span class="tab-text">{t.settingsTab}</span>
        </Tab>
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
