// The queue window: picks the view from the core's snapshot (signed out → sign in; otherwise the
// queue, a claim or settings) and owns what must survive switching views (filters, selection, toast).
import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { NavigateTarget, SignoffBridge, SnapshotView } from './bridge-types';
import { ConnectionBanner } from './components/connection-banner';
import { Header } from './components/header';
import { AppContext, type AppContextValue } from './context';
import { catalogFor, createFormatters, type Message } from './i18n';
import type { NavigationInbox } from './navigation-inbox';
import { noFilter, type QueueFilter } from './queue-filter';
import { ClaimListView, type ListName } from './views/claim-list-view';
import { ClaimView } from './views/claim-view';
import { QueueView } from './views/queue-view';
import { SettingsView } from './views/settings-view';
import { SignInView } from './views/sign-in-view';

/**
 * What the window shows. Every NavigateTarget main sends is a Route as it stands; the window adds
 * settings and, for a claim opened from a row's action, the action to start with.
 */
export type Route =
  | { view: 'queue' }
  | { view: 'claim'; claimId: string; intent?: 'approve' | 'reject'; from?: ListName }
  | { view: 'settings' }
  | { view: ListName };

/** The claim list a route shows (Done or My claims, also under a claim opened from it), if any. */
export function listOf(route: Route): ListName | null {
  if (route.view === 'done' || route.view === 'mine') return route.view;
  return route.view === 'claim' ? (route.from ?? null) : null;
}

export function App({ bridge, inbox }: { bridge: SignoffBridge | null; inbox: NavigationInbox | null }) {
  if (!bridge || !inbox) {
    return (
      <main class="fatal" role="alert">
        Signoff cannot start: the window has no connection to the app (window.signoff is missing).
      </main>
    );
  }
  return <ConnectedApp bridge={bridge} inbox={inbox} />;
}

function useSnapshot(bridge: SignoffBridge): SnapshotView | null {
  const [snapshot, setSnapshot] = useState<SnapshotView | null>(null);
  useEffect(() => {
    let live = true;
    // Subscribe first so no change between the initial read and the subscription is lost.
    const unsubscribe = bridge.onStateChanged((next) => setSnapshot(next));
    void bridge.getState({}).then((response) => {
      if (live && response.ok) setSnapshot((current) => current ?? response.value);
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [bridge]);
  return snapshot;
}

function ConnectedApp({ bridge, inbox }: { bridge: SignoffBridge; inbox: NavigationInbox }) {
  const snapshot = useSnapshot(bridge);
  const [route, setRoute] = useState<Route>({ view: 'queue' });
  const [filter, setFilter] = useState<QueueFilter>(noFilter);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // A message, not text: a toast still showing when the language changes re-words itself.
  const [toast, setToast] = useState<Message | null>(null);
  const [announcementsOpen, setAnnouncementsOpen] = useState(false);
  /** Bumped to move keyboard focus to the queue list (the global shortcut). */
  const [listFocus, setListFocus] = useState(0);

  const locale = snapshot?.locale ?? 'en';
  const context = useMemo<AppContextValue>(
    () => ({ bridge, t: catalogFor(locale), fmt: createFormatters(locale) }),
    [bridge, locale],
  );

  // A layout effect: the page's language changes in the same commit as its text (screen readers and
  // font selection read `lang`), never a frame later.
  useLayoutEffect(() => {
    document.documentElement.lang = locale;
    document.title = context.t.appName;
  }, [locale, context]);

  // Notification clicks and the tray (from main) open a claim or the queue.
  useEffect(
    () =>
      inbox.subscribe((target: NavigateTarget) => {
        // The tray's "Announcements" item: the queue, with the panel above it open.
        if (target.view === 'announcements') {
          setAnnouncementsOpen(true);
          setRoute({ view: 'queue' });
          return;
        }
        if (target.view === 'claim') setSelectedId(target.claimId);
        // The global shortcut: the whole queue, its first claim selected, the list focused for j/k.
        if (target.view === 'queue' && target.focus === 'first') {
          setFilter(noFilter);
          setSelectedId(null);
          setListFocus((count) => count + 1);
          setRoute({ view: 'queue' });
          return;
        }
        setRoute(target);
      }),
    [inbox],
  );

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(timer);
  }, [toast]);

  const openClaim = useCallback((claimId: string, intent?: 'approve' | 'reject') => {
    setSelectedId(claimId);
    setRoute(intent ? { view: 'claim', claimId, intent } : { view: 'claim', claimId });
  }, []);
  const showQueue = useCallback(() => setRoute({ view: 'queue' }), []);
  const openFromList = useCallback(
    (from: ListName) => (claimId: string) => setRoute({ view: 'claim', claimId, from }),
    [],
  );

  if (!snapshot) {
    return (
      <main class="loading" aria-busy="true">
        …
      </main>
    );
  }

  const list = listOf(route);
  const signedIn = snapshot.user !== null && snapshot.connection.kind !== 'session-expired';
  return (
    <AppContext.Provider value={context}>
      {signedIn ? (
        <div class="shell">
          <Header snapshot={snapshot} route={route} onNavigate={setRoute} />
          <ConnectionBanner connection={snapshot.connection} />
          <main class="content">
            {/* The queue stays mounted while a claim is open: beside it in a wide window, hidden by CSS
                when narrow; it keeps its place so the next claim is selected after a decision. */}
            {list && (
              // Keyed: Done and My claims are two lists, each starting from its own first page.
              <ClaimListView
                key={list}
                list={list}
                revision={snapshot.listsRevision}
                onOpen={openFromList(list)}
                openId={route.view === 'claim' ? route.claimId : null}
              />
            )}
            {route.view !== 'settings' && !list && (
              <QueueView
                detailOpen={route.view === 'claim'}
                focusRequest={listFocus}
                snapshot={snapshot}
                filter={filter}
                onFilterChange={setFilter}
                selectedId={selectedId}
                onSelect={setSelectedId}
                onOpen={openClaim}
                announcementsOpen={announcementsOpen}
                onAnnouncementsOpenChange={setAnnouncementsOpen}
              />
            )}
            {route.view === 'claim' && (
              <ClaimView
                key={route.claimId}
                id={route.claimId}
                intent={route.intent}
                snapshot={snapshot}
                onBack={route.from ? () => setRoute({ view: route.from ?? 'done' }) : showQueue}
                backLabel={route.from ? context.t.backToList(route.from) : undefined}
                filter={filter}
                // Next/Previous walk the queue; a claim opened from Done or My claims is read on its own.
                onOpen={route.from ? undefined : openClaim}
                onDone={(message) => {
                  // Wrapped: a function given to a state setter is called as an updater.
                  setToast(() => message);
                  showQueue();
                }}
              />
            )}
            {route.view === 'settings' && <SettingsView snapshot={snapshot} onBack={showQueue} />}
          </main>
          <div class="toast" role="status" aria-live="polite">
            {toast?.(context.t)}
          </div>
        </div>
      ) : (
        <SignInView snapshot={snapshot} />
      )}
    </AppContext.Provider>
  );
}
