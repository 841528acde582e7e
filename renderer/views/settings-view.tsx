// Settings: every change is saved at once through settings:update (no Save button to forget), and the
// outcome is announced in a live region. Language applies immediately: the core answers with a new
// snapshot whose `locale` re-renders the window.
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_GLOBAL_SHORTCUT, isGlobalShortcut } from '../../main/common/accelerator';
import { PAUSE_PRESETS, type PauseCommand, type PausePreset } from '../../main/common/pause-presets';
import { PROXY_MODES, type ProxyMode } from '../../main/common/proxy-modes';
import { MAX_REMINDER_HOURS } from '../../main/common/settings-limits';
import type { IpcError, SettingsView as Settings, SnapshotView, WindowSettingsPatch } from '../bridge-types';
import {
  ActionButton,
  NumberField,
  SelectField,
  ShortcutField,
  TextField,
  TimeRange,
  ToggledFieldset,
  ToggleRow,
} from '../components/fields';
import { OutOfOffice } from '../components/out-of-office';
import { useApp } from '../context';
import { type Message, problemText } from '../i18n';
import { isPlainKey } from '../keyboard';

/** A preset to apply, `off` (resume), or `until`: the pause already running, shown with its end time. */
type PauseChoice = 'off' | PausePreset | 'until';

function pauseChoice(pausedUntil: Settings['pausedUntil'], now: number): PauseChoice {
  if (pausedUntil === null) return 'off';
  if (pausedUntil === 'indefinite') return 'indefinite';
  return pausedUntil > now ? 'until' : 'off';
}

export function SettingsView({ snapshot, onBack }: { snapshot: SnapshotView; onBack: () => void }) {
  const { t, fmt, bridge } = useApp();
  // The outcome as a message to word at render time, not text: switching the language is itself a
  // save, answered while this render's catalog is still the old one, so "Saved." must re-word itself.
  const [status, setStatus] = useState<{ ok: boolean; text: Message } | null>(null);

  // Esc leaves Settings, as it leaves a claim. Changes are saved as they are made; a field still being
  // typed in is blurred first, so its change event saves what was typed before the view goes.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !isPlainKey(event)) return;
      event.preventDefault();
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      onBack();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onBack]);
  const settings = snapshot.settings;
  const now = Date.now();
  const pause = pauseChoice(settings.pausedUntil, now);

  function report(response: { ok: true } | { ok: false; error: IpcError }) {
    if (response.ok) setStatus({ ok: true, text: (now) => now.saved });
    else {
      const { error } = response;
      setStatus({ ok: false, text: (now) => now.saveFailed(problemText(now, error)) });
    }
  }

  /** Saves and reports the outcome; resolves whether it was saved. */
  async function save(patch: WindowSettingsPatch): Promise<boolean> {
    const response = await bridge.updateSettings(patch);
    report(response);
    return response.ok;
  }

  /** Main does the work (opens its own logs folder, fills the clipboard); the page only hears how it went. */
  async function support(action: 'openLogsFolder' | 'copyDiagnostics') {
    const response = await bridge[action]({});
    if (response.ok) {
      setStatus({
        ok: true,
        text: (now) => (action === 'openLogsFolder' ? now.logsFolderOpened : now.diagnosticsCopied),
      });
    } else {
      const { error } = response;
      setStatus({ ok: false, text: (now) => now.supportActionFailed(problemText(now, error)) });
    }
  }

  /** Sends the preset's name, not a time: the core computes it, the same way as for the tray menu. */
  async function onPause(choice: PauseChoice): Promise<boolean> {
    if (choice === 'until') return true; // already the running pause
    const preset: PauseCommand = choice === 'off' ? 'resume' : choice;
    const response = await bridge.pauseNotifications({ preset });
    report(response);
    return response.ok;
  }

  return (
    <section class="settings" aria-labelledby="settings-title">
      <button type="button" class="link back" onClick={onBack}>
        ← {t.back}
      </button>
      <h1 id="settings-title">{t.settingsTitle}</h1>

      <fieldset>
        <legend>{t.notifications}</legend>
        <ToggleRow
          label={t.notificationsEnabled}
          testId="notifications-enabled"
          checked={settings.notificationsEnabled}
          onChange={(checked) => save({ notificationsEnabled: checked })}
        />
        <ToggleRow
          label={t.notificationActions}
          testId="notification-actions"
          checked={settings.notificationActions}
          onChange={(checked) => save({ notificationActions: checked })}
        />
        <ToggleRow
          label={t.globalShortcutEnabled}
          testId="shortcut-enabled"
          checked={settings.globalShortcut !== null}
          onChange={(checked) => save({ globalShortcut: checked ? DEFAULT_GLOBAL_SHORTCUT : null })}
        />
        <ShortcutField
          label={t.globalShortcut}
          testId="shortcut"
          hint={t.globalShortcutHint}
          invalid={t.globalShortcutInvalid}
          value={settings.globalShortcut ?? DEFAULT_GLOBAL_SHORTCUT}
          disabled={settings.globalShortcut === null}
          isValid={isGlobalShortcut}
          onChange={(globalShortcut) => void save({ globalShortcut })}
        />
        <SelectField<PauseChoice>
          label={t.pause}
          testId="pause"
          value={pause}
          options={[
            { value: 'off', label: t.pauseOff },
            ...PAUSE_PRESETS.map((preset) => ({ value: preset, label: t.pausePreset(preset) })),
            ...(pause === 'until' && typeof settings.pausedUntil === 'number'
              ? [
                  {
                    value: 'until' as const,
                    label: t.pausedUntil(fmt.dateTime(new Date(settings.pausedUntil).toISOString())),
                  },
                ]
              : []),
          ]}
          onChange={onPause}
        />
      </fieldset>

      <OutOfOffice revision={snapshot.listsRevision} onStatus={setStatus} />

      <ToggledFieldset
        legend={t.quietHours}
        label={t.quietHoursEnabled}
        testId="quiet-enabled"
        enabled={settings.quietHours.enabled}
        onToggle={(enabled) => save({ quietHours: { enabled } })}
      >
        <TimeRange
          startLabel={t.quietFrom}
          endLabel={t.quietTo}
          hint={t.timeFormatHint}
          invalid={t.timeInvalid}
          testIdPrefix="quiet"
          start={settings.quietHours.start}
          end={settings.quietHours.end}
          disabled={!settings.quietHours.enabled}
          onChange={(change) => void save({ quietHours: change })}
        />
      </ToggledFieldset>

      <ToggledFieldset
        legend={t.reminders}
        label={t.remindersEnabled}
        testId="reminders-enabled"
        enabled={settings.reminders.enabled}
        onToggle={(enabled) => save({ reminders: { enabled } })}
      >
        <NumberField
          label={t.remindAfterHours}
          testId="reminders-after"
          min={1}
          max={MAX_REMINDER_HOURS}
          value={settings.reminders.afterHours}
          disabled={!settings.reminders.enabled}
          onChange={(afterHours) => void save({ reminders: { afterHours } })}
        />
      </ToggledFieldset>

      <fieldset>
        <legend>{t.language}</legend>
        <SelectField
          label={t.language}
          labelHidden
          testId="language"
          value={settings.locale ?? 'system'}
          options={[
            { value: 'system', label: t.languageSystem },
            { value: 'en', label: 'English' },
            { value: 'zh-CN', label: '简体中文' },
          ]}
          onChange={(value) => save({ locale: value === 'en' || value === 'zh-CN' ? value : null })}
        />
        <ToggleRow
          label={t.startAtLogin}
          testId="start-at-login"
          checked={settings.startAtLogin}
          onChange={(checked) => save({ startAtLogin: checked })}
        />
      </fieldset>

      <fieldset>
        <legend>{t.network}</legend>
        <SelectField<ProxyMode>
          label={t.proxy}
          testId="proxy-mode"
          value={settings.proxy.mode}
          options={PROXY_MODES.map((mode) => ({ value: mode, label: t.proxyMode(mode) }))}
          onChange={(mode) => save({ proxy: { mode } })}
        />
        {settings.proxy.mode === 'manual' && (
          <TextField
            label={t.proxyUrl}
            hint={t.proxyUrlHint}
            testId="proxy-url"
            value={settings.proxy.url ?? ''}
            placeholder="http://proxy.example.com:8080"
            onChange={(url) => void save({ proxy: { url: url || null } })}
          />
        )}
        {settings.proxy.mode === 'manual' && (
          <ProxyCredentialsFields savedUser={snapshot.proxyUser} onSaved={report} />
        )}
      </fieldset>

      <fieldset>
        <legend>{t.server}</legend>
        <p data-testid="server-info">{t.signedInTo(snapshot.serverUrl ?? settings.serverUrl ?? '—')}</p>
        <p class="muted small">{t.changeServerHint}</p>
        {snapshot.secretStorage === 'memory' && <p class="muted small">{t.memoryStorageNotice}</p>}
        <button type="button" data-testid="sign-out" onClick={() => void bridge.signOut({})}>
          {t.signOut}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t.support}</legend>
        <p class="muted small">{t.supportHint}</p>
        <div class="row-inline">
          <ActionButton
            label={t.openLogsFolder}
            testId="open-logs-folder"
            onClick={() => support('openLogsFolder')}
          />
          <ActionButton
            label={t.copyDiagnostics}
            testId="copy-diagnostics"
            onClick={() => support('copyDiagnostics')}
          />
        </div>
      </fieldset>

      <p class={status?.ok === false ? 'error' : 'muted'} role="status" data-testid="settings-status">
        {status?.text(t)}
      </p>
    </section>
  );
}

/**
 * The manual proxy's user name and password: write-only. Main keeps them in the keychain; the window
 * only learns which user name is saved, and the password field is emptied once it has been sent.
 */
function ProxyCredentialsFields({
  savedUser,
  onSaved,
}: {
  savedUser: string | null;
  onSaved: (response: { ok: true } | { ok: false; error: IpcError }) => void;
}) {
  const { t, bridge } = useApp();
  const [username, setUsername] = useState(savedUser ?? '');
  const [password, setPassword] = useState('');

  async function send(credentials: { username: string; password: string } | null) {
    const response = await bridge.setProxyCredentials({ credentials });
    if (response.ok) setPassword('');
    if (response.ok && !credentials) setUsername('');
    onSaved(response);
  }

  return (
    <div data-testid="proxy-credentials">
      <label>
        {t.proxyUser}
        <input
          type="text"
          data-testid="proxy-user"
          value={username}
          spellcheck={false}
          autocomplete="off"
          onInput={(event) => setUsername(event.currentTarget.value)}
        />
      </label>
      <label>
        {t.proxyPassword}
        <input
          type="password"
          data-testid="proxy-password"
          value={password}
          autocomplete="new-password"
          onInput={(event) => setPassword(event.currentTarget.value)}
        />
      </label>
      <span class="muted small">
        {t.proxyCredentialsHint}
        {savedUser && ` ${t.proxyCredentialsSavedFor(savedUser)}`}
      </span>
      <div class="row-inline">
        <ActionButton
          label={t.saveProxyCredentials}
          testId="save-proxy-credentials"
          onClick={() => send({ username: username.trim(), password })}
        />
        {savedUser && (
          <ActionButton
            label={t.clearProxyCredentials}
            testId="clear-proxy-credentials"
            onClick={() => send(null)}
          />
        )}
      </div>
    </div>
  );
}
