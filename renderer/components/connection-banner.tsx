// Says plainly when the window is not live, and offers to reconnect now. While it shows, the claim
// view disables approve/reject (they would fail, or worse, act on a stale claim).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConnectionStateView } from '../bridge-types';
import { useApp } from '../context';

export function isLive(connection: ConnectionStateView): boolean {
  return connection.kind === 'online';
}

export function ConnectionBanner({ connection }: { connection: ConnectionStateView }) {
  const { t, bridge } = useApp();
  const [now, setNow] = useState(() => Date.now());
  const counting = connection.kind === 'reconnecting';
  // A reconnect attempt passes through `connecting`; keep the banner up until we are really back.
  const wasDown = useRef(false);
  if (connection.kind === 'online' || connection.kind === 'signed-out') wasDown.current = false;
  else if (connection.kind !== 'connecting') wasDown.current = true;
  useEffect(() => {
    if (!counting) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [counting]);

  let text: string;
  if (connection.kind === 'reconnecting') {
    text = t.reconnectingBanner(Math.max(0, Math.ceil((connection.nextAttemptAt - now) / 1000)));
  } else if (connection.kind === 'offline' || connection.kind === 'error') {
    text = t.offlineBanner;
  } else if (connection.kind === 'connecting' && wasDown.current) {
    text = t.reconnectingBanner(0);
  } else {
    return null;
  }
  return (
    <div class="banner" role="alert" data-testid="offline-banner">
      <span>
        {text} {t.actionsDisabledOffline}
      </span>
      <button type="button" onClick={() => void bridge.retryConnection({})}>
        {t.retryNow}
      </button>
    </div>
  );
}
