// `npm run preview`: the queue window in a browser, without Electron.
//
// Serves the built renderer (dist/renderer/) and hosts a REAL DesktopCore (main/core) with an
// in-memory secret store and a notifier that logs. The page's `window.signoff` is
// renderer/dev/preview-bridge.ts, which reaches the SAME createIpcHandlers over HTTP:
//   POST /ipc/<channel>   JSON request → the contract's JSON response
//   GET  /events          server-sent events: `state:changed`, `navigate`
// plus two harness-only endpoints (tests and demos):
//   POST /preview/navigate       {"claimId"?: string} → sends a navigate event, as a notification click would
//                                ({"view":"queue","focus":"first"}: as the global shortcut does)
//                                ({"view":"announcements"}: as the tray's "Announcements" item would)
//   GET  /preview/notifications  what the core asked the OS to show so far
//   GET  /preview/support        what "Open logs folder", "Copy diagnostics" and a receipt's "Open" did
//                                (`openedFiles`: the files main would have handed to the OS viewer;
//                                `fileDialogs`: how often "Add receipt" opened the open-file dialog)
//   POST /preview/pick-files     {"files": [paths]}: what the user chooses in the next open-file
//                                dialog (a browser has no native one; without an answer it is cancelled)
// The browser tests in test/renderer/ drive exactly this.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { buildDiagnosticsReport, ConnectionHistory } from '../main/adapters/diagnostics';
import { SHORTCUT_TARGET } from '../main/adapters/global-shortcut';
import { createDesktopCore } from '../main/core/desktop-core';
import { MemorySecretStore } from '../main/core/memory-secret-store';
import type { Logger, NotificationRequest, Notifier } from '../main/core/ports';
import { type EventChannel, type EventPayload, eventContract, isInvokeChannel } from '../main/ipc/contract';
import { createIpcHandlers } from '../main/ipc/handlers';
import { type LaunchedStub, launchStub, stubCliPath } from '../server-stub/launcher';

const HELP = `Signoff preview: the queue window in a browser, backed by the real core (no Electron).

Usage: node dist/preview/preview.js [options]      (npm run preview -- [options])

  --port <port>        port on 127.0.0.1 (default 5178; 0 = any free port)
  --stub <url>         approval server to prefill in the sign-in form, e.g. http://127.0.0.1:8787
  --with-stub          start the reference stub (dist/server-stub/server-cli.js) on a free port with a
                       temporary database, and use it
  --user-data <dir>    where the core keeps settings.json (default: a new temporary folder)
  --locale <tag>       the "OS" locale the core follows, e.g. en-US or zh-CN (default: this machine's)
  --sign-in <user>     sign the core in as this user at start (password from $SIGNOFF_PASSWORD, else
                       the demo password "demo"); needs --stub or --with-stub
  --help               show this text

Prints "Signoff preview on http://127.0.0.1:<port>" when it is ready. Stops on SIGINT / SIGTERM.
`;

// Bundled to CommonJS at dist/preview/preview.js, so the repo root is two folders up.
const ROOT = path.resolve(__dirname, '../..');
const RENDERER_DIR = path.join(ROOT, 'dist/renderer');
const BRIDGE_FILE = path.join(ROOT, 'dist/preview/bridge.js');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function fail(message: string): never {
  console.error(`preview: ${message}\n\n${HELP}`);
  process.exit(2);
}

function parseOptions() {
  let values: ReturnType<typeof parse>['values'];
  function parse() {
    return parseArgs({
      options: {
        port: { type: 'string', default: '5178' },
        stub: { type: 'string' },
        'with-stub': { type: 'boolean', default: false },
        'user-data': { type: 'string' },
        locale: { type: 'string' },
        'sign-in': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  }
  try {
    values = parse().values;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    fail(`--port must be 0…65535, got ${values.port}`);
  if (values.stub && values['with-stub']) fail('use either --stub <url> or --with-stub, not both');
  if (values.stub) {
    try {
      new URL(values.stub);
    } catch {
      fail(`--stub is not a URL: ${values.stub}`);
    }
  }
  if (values['sign-in'] && !values.stub && !values['with-stub'])
    fail('--sign-in needs --stub <url> or --with-stub');
  return {
    port,
    signInAs: values['sign-in'] ?? null,
    stubUrl: values.stub ?? null,
    withStub: values['with-stub'] ?? false,
    userDataDir: values['user-data'] ?? null,
    locale: values.locale ?? Intl.DateTimeFormat().resolvedOptions().locale,
  };
}

function recordingNotifier(logger: Logger): Notifier & { shown: NotificationRequest[] } {
  const shown: NotificationRequest[] = [];
  return {
    shown,
    isSupported: () => true,
    show(notification) {
      shown.push(notification);
      logger.info(`notification: ${notification.title} — ${notification.body}`);
    },
    close() {},
  };
}

const logger: Logger = {
  info: (message, fields) => console.log(`[preview] ${message}`, fields ? JSON.stringify(fields) : ''),
  warn: (message, fields) => console.warn(`[preview] ${message}`, fields ? JSON.stringify(fields) : ''),
  error: (message, fields) => console.error(`[preview] ${message}`, fields ? JSON.stringify(fields) : ''),
};

async function startStub(dir: string): Promise<LaunchedStub> {
  if (!existsSync(stubCliPath(ROOT))) {
    fail(`${stubCliPath(ROOT)} is missing; run: node scripts/build.mjs --only stub`);
  }
  return launchStub({
    root: ROOT,
    port: 0,
    dbPath: path.join(dir, 'stub.sqlite'),
    args: ['--sync', 'normal'],
    stderr: 'inherit',
  });
}

/** Files under dist/renderer by URL path; looked up exactly, so no request can escape the folder. */
function scanStatic(dir: string, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const urlPath = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) for (const [key, value] of scanStatic(full, urlPath)) files.set(key, value);
    else files.set(urlPath, full);
  }
  return files;
}

/**
 * The shipped index.html, adapted for the browser: the bridge script goes in before app.js, and the CSP
 * allows fetch/EventSource to this same origin (the Electron window keeps `connect-src 'none'`).
 */
function previewIndexHtml(): string {
  const html = readFileSync(path.join(RENDERER_DIR, 'index.html'), 'utf8');
  return html
    .replace("connect-src 'none'", "connect-src 'self'")
    .replace(
      '<script type="module" src="app.js"></script>',
      '<script src="/preview/bridge.js"></script>\n    $&',
    );
}

async function main() {
  const options = parseOptions();
  if (!existsSync(path.join(RENDERER_DIR, 'app.js')) || !existsSync(BRIDGE_FILE)) {
    fail(
      'dist/renderer or dist/preview is missing; run: node scripts/build.mjs --only renderer,preview,stub',
    );
  }
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'signoff-preview-'));
  const userDataDir = options.userDataDir ?? tempDir;

  let stub: LaunchedStub | null = null;
  if (options.withStub) {
    stub = await startStub(tempDir);
    console.log(
      `[preview] started the stub at ${stub.url} (users alice, bob, carol, dave, grace…; password demo)`,
    );
  }
  const serverUrl = stub?.url ?? options.stubUrl;

  const notifier = recordingNotifier(logger);
  const core = createDesktopCore({
    userDataDir,
    secrets: new MemorySecretStore(), // this run only, like the app's last-resort store
    notifier,
    logger,
    osLocale: options.locale,
    // The app hands company sign-in to the system browser; a preview can only say where to go.
    browser: {
      open: async (url) =>
        console.log(`[preview] company sign-in: open this address in your browser:\n${url}`),
    },
  });
  await core.start();
  // Prefill the sign-in form with the server we were pointed at.
  if (serverUrl && !core.snapshot().settings.serverUrl) await core.updateSettings({ serverUrl });
  if (serverUrl && options.signInAs) {
    await core.signIn(serverUrl, options.signInAs, process.env.SIGNOFF_PASSWORD ?? 'demo');
    console.log(`[preview] signed in to ${serverUrl} as ${options.signInAs}`);
  }

  // Stand-ins for the two support actions, honest about what a browser page cannot have: there is no
  // log file and no folder to open (the call is counted and logged), and the clipboard is a variable
  // the harness shows at /preview/support. The diagnostics text is the app's own report, built by the
  // same code from this real core (no Electron versions: it says "not Electron").
  const connectionHistory = new ConnectionHistory();
  connectionHistory.record(core.snapshot().connection);
  core.subscribe((snapshot) => connectionHistory.record(snapshot.connection));
  const support = {
    logsFolderOpened: 0,
    clipboard: null as string | null,
    openedFiles: [] as string[],
    fileDialogs: 0,
  };
  // The answers the stand-in open-file dialog gives, in order (what a person would pick in the real one).
  const fileDialogAnswers: string[][] = [];
  const handlers = createIpcHandlers(core, {
    openExternal: async (url) => {
      logger.info(`would open in the browser: ${url}`);
    },
    openLogsFolder: async () => {
      support.logsFolderOpened += 1;
      logger.info('would open the logs folder (the preview writes no log file)');
    },
    // Like the app's shell.openPath, minus the viewer: the file the core saved is recorded (and kept
    // until the preview stops) so tests can check where it is, its mode and its bytes.
    openFile: async (file) => {
      support.openedFiles.push(file);
      logger.info(`would open in the system viewer: ${file}`);
    },
    // Like the app's native dialog: the paths come from here (the harness), never from the page.
    chooseReceiptFiles: async () => {
      support.fileDialogs += 1;
      return fileDialogAnswers.shift() ?? [];
    },
    copyDiagnostics: async () => {
      support.clipboard = buildDiagnosticsReport({
        appVersion: 'preview',
        versions: process.versions,
        os: `${os.type()} ${os.release()} (${process.platform} ${process.arch})`,
        osLocale: options.locale,
        logFile: 'none (preview)',
        snapshot: core.snapshot(),
        counters: core.diagnostics(),
        connectionHistory: connectionHistory.entries(),
        recentProblems: [],
        now: new Date(),
      });
    },
    logger,
  });

  // ---- server-sent events to every open page ----
  const streams = new Set<FastifyReply>();
  function broadcast<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
    const parsed = eventContract[channel].safeParse(payload);
    if (!parsed.success) {
      logger.error('refused to send an event that does not match the contract', { channel });
      return;
    }
    const frame = `event: ${channel}\ndata: ${JSON.stringify(parsed.data)}\n\n`;
    for (const reply of streams) reply.raw.write(frame);
  }
  const unsubscribe = core.subscribe((snapshot) => broadcast('state:changed', snapshot));

  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 64 * 1024 });
  let ownOrigin = '';

  // Only this page may drive the core: a different site (or a DNS-rebound name) open in the same
  // browser must not approve claims through a loopback port.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const host = request.headers.host ?? '';
    const origin = request.headers.origin;
    const hostOk = /^(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(host);
    if (!hostOk || (origin !== undefined && origin !== ownOrigin && origin !== `http://${host}`)) {
      await reply
        .code(403)
        .send({ ok: false, error: { kind: 'untrusted-sender', message: 'forbidden origin' } });
    }
  });

  app.get('/', async (_request, reply) =>
    reply
      .header('content-type', CONTENT_TYPES['.html'])
      .header('cache-control', 'no-store')
      .send(previewIndexHtml()),
  );
  app.get('/index.html', async (_request, reply) => reply.redirect('/'));
  app.get('/preview/bridge.js', async (_request, reply) =>
    reply
      .header('content-type', CONTENT_TYPES['.js'])
      .header('cache-control', 'no-store')
      .send(readFileSync(BRIDGE_FILE)),
  );

  app.post<{ Params: { channel: string } }>('/ipc/:channel', async (request, reply) => {
    const { channel } = request.params;
    if (!isInvokeChannel(channel)) {
      return reply
        .code(404)
        .send({ ok: false, error: { kind: 'invalid-request', message: `unknown channel ${channel}` } });
    }
    const handler = handlers[channel] as (payload: unknown) => Promise<unknown>;
    return reply.send(await handler(request.body ?? {}));
  });

  app.get('/events', (request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    streams.add(reply);
    // The current state at once, so a reconnecting page never shows a stale one.
    reply.raw.write(`event: state:changed\ndata: ${JSON.stringify(core.snapshot())}\n\n`);
    request.raw.on('close', () => streams.delete(reply));
  });

  app.post<{ Body: { claimId?: unknown; view?: unknown; focus?: unknown } | null }>(
    '/preview/navigate',
    async (request, reply) => {
      const claimId = request.body?.claimId;
      // `{"view":"announcements"}` is what the tray's "Announcements" item sends.
      if (request.body?.view === 'announcements') broadcast('navigate', { view: 'announcements' });
      // `{"view":"queue","focus":"first"}` is what the global shortcut sends.
      else if (request.body?.view === 'queue' && request.body.focus === 'first')
        broadcast('navigate', SHORTCUT_TARGET);
      else
        broadcast('navigate', typeof claimId === 'string' ? { view: 'claim', claimId } : { view: 'queue' });
      return reply.send({ ok: true });
    },
  );
  app.get('/preview/notifications', async (_request, reply) => reply.send(notifier.shown));
  app.get('/preview/support', async (_request, reply) => reply.send(support));
  app.post<{ Body: { files?: unknown } | null }>('/preview/pick-files', async (request, reply) => {
    const files = request.body?.files;
    if (!Array.isArray(files) || !files.every((file) => typeof file === 'string')) {
      return reply.code(400).send({ error: 'files must be an array of paths' });
    }
    fileDialogAnswers.push(files);
    return reply.send({ ok: true });
  });

  let staticFiles = scanStatic(RENDERER_DIR);
  app.get('/*', async (request, reply) => {
    const urlPath = decodeURIComponent(request.url.split('?')[0] ?? '/');
    // A rebuild may add files: look again once before answering 404.
    if (!staticFiles.has(urlPath)) staticFiles = scanStatic(RENDERER_DIR);
    const file = staticFiles.get(urlPath);
    if (!file) return reply.code(404).send({ error: 'not found' });
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    return reply.header('content-type', type).header('cache-control', 'no-store').send(readFileSync(file));
  });

  const address = await app.listen({ host: '127.0.0.1', port: options.port });
  const port = new URL(address).port;
  ownOrigin = `http://127.0.0.1:${port}`;
  console.log(`Signoff preview on ${ownOrigin}`);

  let stopping = false;
  async function shutdown() {
    if (stopping) return;
    stopping = true;
    unsubscribe();
    for (const reply of streams) reply.raw.end();
    await app.close().catch(() => {});
    await core.stop().catch(() => {});
    // Let the stub close its database before its folder is removed.
    await stub?.stop('SIGTERM', 5_000);
    if (!options.userDataDir || stub) rmSync(tempDir, { recursive: true, force: true });
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error('preview: failed to start:', error);
  process.exit(1);
});
