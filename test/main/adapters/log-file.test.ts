// The log file through the real electron-log (its Node entry, which the app uses: see
// main/adapters/log-file.ts) writing to a temporary folder: secrets never reach the FILE, the
// redaction marker does, the useful parts stay, and the file rotates by size keeping N old files.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppLog, LOG_FILE_NAME } from '../../../main/adapters/log-file';
import { REDACTED, redactText, redactValue } from '../../../main/adapters/redaction';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'signoff-log-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

let logIds = 0;
function nextLogId(): string {
  logIds += 1;
  return `test-${process.pid}-${logIds}`;
}

// Shaped like the stub's tokens (32 random bytes, base64url) and obviously unique, so a grep is exact.
const TOKEN = 'tOkEn_3q2-7Zr9XyWvUtSrQpOnMlKjIhGfEdCbA0';
const PASSWORD = 'pa55-w0rd-Hunter2!';
const COOKIE = 'sid=c00kie-v4lue-77';
const API_KEY = 'ak_live_51HxYzsecretkey';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLXBhcnQ';

describe('the log file', () => {
  it('never holds a token, password, Authorization or Cookie value, in messages or fields', () => {
    const logsDir = path.join(tempDir(), 'logs');
    const log = createAppLog({ logsDir, console: false, logId: nextLogId() });
    const core = log.logger('core');
    const main = log.logger('main');

    core.info('session: signed in', {
      user: 'bob',
      serverUrl: 'https://approvals.example.com',
      token: TOKEN,
      nested: {
        headers: { Authorization: `Bearer ${TOKEN}`, Cookie: COOKIE },
        list: [{ password: PASSWORD }],
      },
      client_secret: API_KEY,
    });
    core.warn(`stream: server said Authorization: Bearer ${TOKEN} was refused`);
    core.error(`http: GET https://approvals.example.com/queue?access_token=${TOKEN}&page=2 failed`, {
      error: new Error(`401 for Bearer ${TOKEN}`),
      detail: `{"password":"${PASSWORD}","apiKey":"${API_KEY}"}`,
    });
    main.info(`proxy https://bob:${PASSWORD}@proxy.example.com:8080 in use; id token ${JWT}`);
    main.warn('cookie header', { 'set-cookie': COOKIE, value: `Cookie: ${COOKIE}` });

    const file = path.join(logsDir, LOG_FILE_NAME);
    expect(log.file).toBe(file);
    const text = readFileSync(file, 'utf8');
    for (const secret of [TOKEN, PASSWORD, COOKIE, 'c00kie-v4lue-77', API_KEY, JWT]) {
      expect(text, `the log file holds ${secret}`).not.toContain(secret);
    }
    expect(text.split(REDACTED).length - 1).toBeGreaterThanOrEqual(10);
    // What support needs is still there: scopes, levels, messages, harmless fields.
    expect(text).toContain('[info]  [core] session: signed in');
    expect(text).toContain('"user":"bob"');
    expect(text).toContain('"serverUrl":"https://approvals.example.com"');
    expect(text).toContain('[warn]  [core] stream: server said Authorization: [redacted] was refused');
    expect(text).not.toContain('[redacted]]'); // redacting twice (adapter, then hook) changes nothing
    expect(text).toContain('page=2 failed');
    expect(text).toContain('https://bob:[redacted]@proxy.example.com:8080');
    expect(text).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] \[error\] \[core\] http: GET/m);

    // Warnings and errors are kept for diagnostics, message only and redacted.
    const problems = log.recentProblems();
    expect(problems.map((p) => `${p.level} ${p.scope}`)).toEqual(['warn core', 'error core', 'warn main']);
    expect(JSON.stringify(problems)).not.toContain(TOKEN);
  });

  it('rotates at the size limit, keeping the newest old files and dropping the oldest', () => {
    const logsDir = tempDir();
    const log = createAppLog({ logsDir, console: false, maxBytes: 4_000, keepFiles: 2, logId: nextLogId() });
    const logger = log.logger('core');
    for (let i = 0; i < 400; i += 1) logger.info(`line ${String(i).padStart(4, '0')} ${'x'.repeat(60)}`);

    expect(readdirSync(logsDir).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    for (const name of ['main.log', 'main.1.log', 'main.2.log']) {
      // One line may go over before the size is checked again.
      expect(statSync(path.join(logsDir, name)).size).toBeLessThan(4_000 + 200);
    }
    const current = readFileSync(path.join(logsDir, 'main.log'), 'utf8');
    const previous = readFileSync(path.join(logsDir, 'main.1.log'), 'utf8');
    expect(current).toContain('line 0399');
    expect(previous).not.toContain('line 0399');
    // The oldest lines are gone for good: three files of ~50 lines cannot hold 400.
    const all = ['main.log', 'main.1.log', 'main.2.log'].map((f) =>
      readFileSync(path.join(logsDir, f), 'utf8'),
    );
    expect(all.join('')).not.toContain('line 0000');
    expect(existsSync(path.join(logsDir, 'main.3.log'))).toBe(false);
  });
});

describe('redaction', () => {
  it('redacts by key at any depth, keeps other values, and never mutates the input', () => {
    const input = {
      Token: 'a',
      accessToken: 'b',
      PASSWORD: 'c',
      authorization: 'd',
      'x-api-key': 'e',
      name: 'Bob',
    };
    const frozen = structuredClone(input);
    expect(redactValue(input)).toEqual({
      Token: REDACTED,
      accessToken: REDACTED,
      PASSWORD: REDACTED,
      authorization: REDACTED,
      'x-api-key': REDACTED,
      name: 'Bob',
    });
    expect(input).toEqual(frozen);
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(redactValue(cycle)).toEqual({ a: 1, self: '[circular]' });
  });

  it.each([
    [`Bearer ${TOKEN}`, 'Bearer [redacted]'],
    [`authorization=Basic ${TOKEN}`, 'authorization=[redacted]'],
    [`"refresh_token": "${TOKEN}", "user": "bob"`, '"refresh_token": "[redacted]", "user": "bob"'],
    [`?token=${TOKEN}&lang=en`, '?token=[redacted]&lang=en'],
    ['"token":"[redacted]"', '"token":"[redacted]"'],
    ['secret storage selected', 'secret storage selected'],
    ['session: could not store the token', 'session: could not store the token'],
  ])('%s → %s', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });
});
