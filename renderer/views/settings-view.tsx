// Settings: every change is saved at once through settings:update (no Save button to forget), and the
// outcome is announced in a live region. Language applies immediately: the core answers with a new
// snapshot whose `locale` re-renders the window.
import { useState } from 'preact/hooks';
import { PAUSE_PRESETS, type PauseCommand, type PausePreset } from '../../main/common/pause-presets';
import { MAX_REMINDER_HOURS } from '../../main/common/settings-limits';
import type { SettingsView as Settings, SnapshotView, WindowSettingsPatch } from '../bridge-types';
import { useApp } from '../context';

/** A preset to apply, `off` (resume), or `until`: the pause already running, shown with its end time. */
type PauseChoice = 'off' | PausePreset | 'until';

function pauseChoice(pausedUntil: Settings['pausedUntil'], now: number): PauseChoice {
  if (pausedUntil === null) return 'off';
  if (pausedUntil === 'indefinite') return 'indefinite';
  return pausedUntil > now ? 'until' : 'off';
}

export function SettingsView({ snapshot, onBack }: { snapshot: SnapshotView; onBack: () => void }) {
  const { t, fmt, bridge } = useApp();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const settings = snapshot.settings;
  const now = Date.now();
  const pause = pauseChoice(settings.pausedUntil, now);

  function report(response: { ok: true } | { ok: false; error: { message: string } }) {
    setStatus(
      response.ok ? { ok: true, text: t.saved } : { ok: false, text: t.saveFailed(response.error.message) },
    );
  }

  async function save(patch: WindowSettingsPatch) {
    report(await bridge.updateSettings(patch));
  }

  /** Sends the preset's name, not a time: the core computes it, the same way as for the tray menu. */
  async function onPause(choice: PauseChoice) {
    if (choice === 'until') return; // already the running pause
    const preset: PauseCommand = choice === 'off' ? 'resume' : choice;
    report(await bridge.pauseNotifications({ preset }));
  }

  return (
    <section class="settings" aria-labelledby="settings-title">
      <button type="button" class="link back" onClick={onBack}>
        ← {t.back}
      </button>
      <h1 id="settings-title">{t.settingsTitle}</h1>

      <fieldset>
        <legend>{t.notifications}</legend>
        <label class="check">
          <input
            type="checkbox"
            data-testid="notifications-enabled"
            checked={settings.notificationsEnabled}
            onChange={(event) => void save({ notificationsEnabled: event.currentTarget.checked })}
          />
          {t.notificationsEnabled}
        </label>
        <label>
          {t.pause}
          <select
            data-testid="pause"
            value={pause}
            onChange={(event) => void onPause(event.currentTarget.value as PauseChoice)}
          >
            <option value="off">{t.pauseOff}</option>
            {PAUSE_PRESETS.map((preset) => (
              <option key={preset} value={preset}>
                {t.pausePreset(preset)}
              </option>
            ))}
            {pause === 'until' && typeof settings.pausedUntil === 'number' && (
              <option value="until">
                {t.pausedUntil(fmt.dateTime(new Date(settings.pausedUntil).toISOString()))}
              </option>
            )}
          </select>
        </label>
      </fieldset>

      <fieldset>
        <legend>{t.quietHours}</legend>
        <label class="check">
          <input
            type="checkbox"
            data-testid="quiet-enabled"
            checked={settings.quietHours.enabled}
            onChange={(event) => void save({ quietHours: { enabled: event.currentTarget.checked } })}
          />
          {t.quietHoursEnabled}
        </label>
        <div class="row-inline">
          <label>
            {t.quietFrom}
            <input
              type="time"
              data-testid="quiet-start"
              value={settings.quietHours.start}
              disabled={!settings.quietHours.enabled}
              onChange={(event) =>
                event.currentTarget.value && void save({ quietHours: { start: event.currentTarget.value } })
              }
            />
          </label>
          <label>
            {t.quietTo}
            <input
              type="time"
              data-testid="quiet-end"
              value={settings.quietHours.end}
              disabled={!settings.quietHours.enabled}
              onChange={(event) =>
                event.currentTarget.value && void save({ quietHours: { end: event.currentTarget.value } })
              }
            />
          </label>
        </div>
      </fieldset>

      <fieldset>
        <legend>{t.reminders}</legend>
        <label class="check">
          <input
            type="checkbox"
            data-testid="reminders-enabled"
            checked={settings.reminders.enabled}
            onChange={(event) => void save({ reminders: { enabled: event.currentTarget.checked } })}
          />
          {t.remindersEnabled}
        </label>
        <label>
          {t.remindAfterHours}
          <input
            type="number"
            data-testid="reminders-after"
            min={1}
            max={MAX_REMINDER_HOURS}
            step={1}
            value={settings.reminders.afterHours}
            disabled={!settings.reminders.enabled}
            onChange={(event) => {
              const hours = Number(event.currentTarget.value);
              if (Number.isFinite(hours) && hours >= 1 && hours <= MAX_REMINDER_HOURS)
                void save({ reminders: { afterHours: hours } });
            }}
          />
        </label>
      </fieldset>

      <fieldset>
        <legend>{t.language}</legend>
        <label>
          <span class="visually-hidden">{t.language}</span>
          <select
            data-testid="language"
            value={settings.locale ?? 'system'}
            onChange={(event) => {
              const value = event.currentTarget.value;
              void save({ locale: value === 'en' || value === 'zh-CN' ? value : null });
            }}
          >
            <option value="system">{t.languageSystem}</option>
            <option value="en">English</option>
            <option value="zh-CN">简体中文</option>
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            data-testid="start-at-login"
            checked={settings.startAtLogin}
            onChange={(event) => void save({ startAtLogin: event.currentTarget.checked })}
          />
          {t.startAtLogin}
        </label>
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

      <p class={status?.ok === false ? 'error' : 'muted'} role="status" data-testid="settings-status">
        {status?.text}
      </p>
    </section>
  );
}
