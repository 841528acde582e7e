// Sign in: server address, username, password. Each SignInFailure kind gets its own message, because
// "wrong password", "server unreachable" and "certificate not trusted" need different fixes.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { IpcError, SnapshotView } from '../bridge-types';
import { useApp } from '../context';
import { type Catalog, isSignInFailure, problemText } from '../i18n';

// Worded from the kind alone: the error's `message` is main's English diagnostic.
function failureText(t: Catalog, error: IpcError): string {
  if (isSignInFailure(error.kind)) return problemText(t, error);
  if (error.kind === 'invalid-request') return t.signInFailure('invalid-request');
  return `${t.signInFailure('other')} ${problemText(t, error)}`;
}

/** How long the server address must stay unchanged before asking it whether it offers company sign-in. */
const ASK_PROVIDER_AFTER_MS = 400;

/** The company sign-in the typed server offers ("Sign in with <name>"), or null. */
function useIdentityProvider(serverUrl: string): string | null {
  const { bridge } = useApp();
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    const url = serverUrl.trim();
    setName(null);
    if (!url) return;
    let current = true;
    const timer = setTimeout(() => {
      void bridge.identityProvider({ serverUrl: url }).then((response) => {
        if (current) setName(response.ok ? (response.value?.name ?? null) : null);
      });
    }, ASK_PROVIDER_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [serverUrl, bridge]);
  return name;
}

export function SignInView({ snapshot }: { snapshot: SnapshotView }) {
  const { t, bridge } = useApp();
  const [serverUrl, setServerUrl] = useState(snapshot.serverUrl ?? snapshot.settings.serverUrl ?? '');
  const [username, setUsername] = useState(snapshot.settings.username ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'password' | 'sso' | null>(null);
  const provider = useIdentityProvider(serverUrl);
  const [error, setError] = useState<IpcError | null>(null);
  const firstEmpty = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (serverUrl && username ? passwordRef.current : firstEmpty.current)?.focus();
    // Only on mount: refocusing while the user types would be hostile.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy('password');
    setError(null);
    const response = await bridge.signIn({
      serverUrl: serverUrl.trim(),
      username: username.trim(),
      password,
    });
    setBusy(null);
    if (!response.ok) {
      setError(response.error);
      // The password is the usual culprit; make retyping it one step.
      if (response.error.kind === 'invalid-credentials') {
        setPassword('');
        passwordRef.current?.focus();
      }
    }
  }

  async function signInWithSso() {
    if (busy) return;
    setBusy('sso');
    setError(null);
    const response = await bridge.signInWithSso({ serverUrl: serverUrl.trim() });
    setBusy(null);
    if (!response.ok) setError(response.error);
  }

  return (
    <main class="signin">
      <form class="signin-card" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title">{t.signInTitle}</h1>
        <p class="muted">{t.signInIntro}</p>
        {snapshot.connection.kind === 'session-expired' && (
          <p class="notice" role="status">
            {t.sessionExpiredNotice}
          </p>
        )}
        <label>
          {t.serverUrl}
          <input
            ref={serverUrl ? undefined : firstEmpty}
            type="url"
            name="server"
            data-testid="server-url"
            autoComplete="url"
            placeholder="https://"
            aria-describedby="server-hint"
            value={serverUrl}
            onInput={(event) => setServerUrl(event.currentTarget.value)}
          />
          <small id="server-hint" class="muted">
            {t.serverUrlHint}
          </small>
        </label>
        {provider !== null && (
          <>
            <button
              type="button"
              class="primary"
              data-testid="signin-sso"
              disabled={busy !== null}
              onClick={() => void signInWithSso()}
            >
              {busy === 'sso' ? t.signingInWithBrowser : t.signInWith(provider)}
            </button>
            <p class="muted" data-testid="signin-or-password">
              {t.orUsePassword}
            </p>
          </>
        )}
        <label>
          {t.username}
          <input
            ref={serverUrl && !username ? firstEmpty : undefined}
            type="text"
            name="username"
            data-testid="username"
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(event) => setUsername(event.currentTarget.value)}
          />
        </label>
        <label>
          {t.password}
          <input
            ref={passwordRef}
            type="password"
            name="password"
            data-testid="password"
            autoComplete="current-password"
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="error" role="alert" data-testid="signin-error" data-kind={error.kind}>
            {failureText(t, error)}
          </p>
        )}
        <button
          type="submit"
          class={provider === null ? 'primary' : undefined}
          data-testid="signin-submit"
          disabled={busy !== null}
        >
          {busy === 'password' ? t.signingIn : t.signIn}
        </button>
        {snapshot.secretStorage === 'memory' && <p class="muted small">{t.memoryStorageNotice}</p>}
      </form>
    </main>
  );
}
