// User-visible settings, written once: the stored shape with its defaults, the patch that changes it,
// and the subset of that patch the window may send. The core persists and merges with these, the IPC
// contract validates with them, and every Settings type is derived from them.
// Imports zod: the renderer may import from here only with `import type`.
import { z } from 'zod';
import { STOMP_DESTINATIONS, STOMP_PATH } from '../../protocol/stomp';
import { DEFAULT_GLOBAL_SHORTCUT, isGlobalShortcut, MAX_ACCELERATOR_LENGTH } from './accelerator';
import { LOCALES } from './locale';
import { PROXY_MODES } from './proxy-modes';
import { MAX_REMINDER_HOURS } from './settings-limits';

export const LocaleSchema = z.enum(LOCALES);

/** A local wall-clock time, `HH:MM` on a 24-hour clock. */
export const ClockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

/** An Electron accelerator that opens the queue from anywhere; null = no global shortcut. */
const GlobalShortcut = z
  .string()
  .max(MAX_ACCELERATOR_LENGTH)
  .refine(
    isGlobalShortcut,
    'expected a shortcut such as CommandOrControl+Alt+S (a modifier other than Shift, one key)',
  )
  .nullable();

// One schema per field, shared by the stored settings (which add defaults) and the patch (which must
// not: a default inside a patch would overwrite the current value with it).
const ServerUrl = z.url().max(2048).nullable();
const Username = z.string().min(1).max(64).nullable();
/** Epoch ms, 'indefinite', or null when notifications are not paused. */
const PausedUntil = z.union([z.number().int().nonnegative(), z.literal('indefinite')]).nullable();
const ReminderHours = z.number().positive().max(MAX_REMINDER_HOURS);
/** null = follow the OS locale. */
const PreferredLocale = LocaleSchema.nullable();
/** Extra PEM CA bundle for corporate PKI, added to the system CAs. */
const ExtraCaFile = z.string().min(1).nullable();
/**
 * How live events arrive. `auto` takes what the server's `GET /info` offers: signoff.v1 if it offers it
 * (or says nothing: older servers), else STOMP, else long-poll; a WebSocket choice falls back to
 * long-poll where a proxy blocks upgrades (main/core/websocket-fallback.ts).
 */
export const TransportSettingSchema = z.enum(['auto', 'signoff', 'stomp', 'long-poll']);
const StompPath = z.string().startsWith('/').max(512);
const StompDestination = z.string().min(1).max(512);
/**
 * A STOMP endpoint somewhere else than the server (e.g. the company's RabbitMQ Web-STOMP), as a
 * ws:// or wss:// URL; null = `stompPath` on the server. It receives the bearer token, so the same
 * insecure-URL rule as the server address applies, and only settings.json may set it.
 */
const StompUrl = z
  .url({ protocol: /^wss?$/ })
  .max(2048)
  .nullable();
/**
 * How REST and the stream reach the server: `system` follows the OS (its proxy settings and PAC file,
 * or HTTPS_PROXY/HTTP_PROXY/NO_PROXY when set), `none` always connects directly, `manual` uses `url`.
 */
export const ProxyModeSchema = z.enum(PROXY_MODES);
/**
 * `http://host:port`. A user and password typed into it (`http://user:password@host:port`) are moved
 * to the keychain by the core; settings and the window's snapshot keep the URL without them.
 */
const ProxyUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .nullable();

/** The manual proxy's basic-auth credentials: written by the window, kept in the keychain, never read back. */
export const ProxyCredentialsSchema = z
  .object({
    username: z.string().trim().min(1).max(256),
    password: z.string().max(1024),
  })
  .strict();
export type ProxyCredentials = z.infer<typeof ProxyCredentialsSchema>;

/**
 * The settings as persisted in the user data folder. Every field has a default, so an old or partial
 * file still loads; `.prefault({})` fills a missing group from its fields' defaults.
 */
export const SettingsSchema = z.object({
  serverUrl: ServerUrl.default(null),
  username: Username.default(null),
  notificationsEnabled: z.boolean().default(true),
  /** Approve / Reject… / Open on claim notifications; some companies require opening the claim first. */
  notificationActions: z.boolean().default(true),
  globalShortcut: GlobalShortcut.default(DEFAULT_GLOBAL_SHORTCUT),
  pausedUntil: PausedUntil.default(null),
  /** Local times; the range may wrap midnight. */
  quietHours: z
    .object({
      enabled: z.boolean().default(false),
      start: ClockTimeSchema.default('22:00'),
      end: ClockTimeSchema.default('08:00'),
    })
    .prefault({}),
  reminders: z
    .object({ enabled: z.boolean().default(true), afterHours: ReminderHours.default(24) })
    .prefault({}),
  startAtLogin: z.boolean().default(false),
  locale: PreferredLocale.default(null),
  /** Allow http:// / ws:// to a non-loopback server (off by default). */
  allowInsecureServer: z.boolean().default(false),
  extraCaFile: ExtraCaFile.default(null),
  transport: TransportSettingSchema.default('auto'),
  /** Spring backends: where the STOMP endpoint is and which destinations carry the events. */
  stompPath: StompPath.default(STOMP_PATH),
  stompUserDestination: StompDestination.default(STOMP_DESTINATIONS.userEvents),
  stompBroadcastDestination: StompDestination.default(STOMP_DESTINATIONS.announcements),
  stompUrl: StompUrl.default(null),
  proxy: z.object({ mode: ProxyModeSchema.default('system'), url: ProxyUrl.default(null) }).prefault({}),
});
export type Settings = z.infer<typeof SettingsSchema>;

/**
 * A change to the settings: any subset of fields, and the nested groups may be partial too (e.g. only
 * quietHours.start). Strict: an unknown key is refused rather than silently dropped, so a typo shows up
 * as an error instead of a setting that "doesn't stick".
 */
export const SettingsPatchSchema = z
  .object({
    serverUrl: ServerUrl,
    username: Username,
    notificationsEnabled: z.boolean(),
    notificationActions: z.boolean(),
    globalShortcut: GlobalShortcut,
    pausedUntil: PausedUntil,
    quietHours: z
      .object({ enabled: z.boolean(), start: ClockTimeSchema, end: ClockTimeSchema })
      .partial()
      .strict(),
    reminders: z.object({ enabled: z.boolean(), afterHours: ReminderHours }).partial().strict(),
    startAtLogin: z.boolean(),
    locale: PreferredLocale,
    allowInsecureServer: z.boolean(),
    extraCaFile: ExtraCaFile,
    transport: TransportSettingSchema,
    stompPath: StompPath,
    stompUserDestination: StompDestination,
    stompBroadcastDestination: StompDestination,
    stompUrl: StompUrl,
    proxy: z.object({ mode: ProxyModeSchema, url: ProxyUrl }).partial().strict(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/**
 * What the window may change. Not the user name (sign-in owns it), not the CA bundle (a compromised
 * renderer must not be able to trust a certificate of its choosing), and not the pause time: the
 * window pauses by preset name through the core, like the tray does.
 */
export const WindowSettingsPatchSchema = SettingsPatchSchema.pick({
  serverUrl: true,
  notificationsEnabled: true,
  notificationActions: true,
  globalShortcut: true,
  quietHours: true,
  reminders: true,
  startAtLogin: true,
  locale: true,
  allowInsecureServer: true,
  proxy: true,
});
export type WindowSettingsPatch = z.infer<typeof WindowSettingsPatchSchema>;
