// Shared helpers for tests that talk to a stub: temp stores, signed-in clients, sample claims.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient, ApiError, type SubmitClaimRequest } from '../../protocol';
import { createStubServer, type StubServer, type StubServerOptions } from '../../server-stub/server';
import { createPostgresDatabase, dropPostgresDatabase, testStore } from './test-store';

export const DEMO_PASSWORD = 'demo';

export interface TempDir {
  path: string;
  file(name: string): string;
  /**
   * Where a stub keeps its data: the SQLite file `name` in this dir or, when the tests run on
   * PostgreSQL (support/test-store.ts), a new empty database (the same one for the same name), dropped
   * by remove().
   */
  store(name: string): string;
  remove(): void;
}

export function tempDir(prefix = 'signoff-test-'): TempDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const databases = new Map<string, string>();
  return {
    path: dir,
    file: (name) => path.join(dir, name),
    store(name) {
      if (testStore === 'sqlite') return path.join(dir, name);
      let url = databases.get(name);
      if (url === undefined) {
        url = createPostgresDatabase();
        databases.set(name, url);
      }
      return url;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
      for (const url of databases.values()) dropPostgresDatabase(url);
      databases.clear();
    },
  };
}

export interface InProcessStub extends StubServer {
  /** The store's location: a SQLite file, or a PostgreSQL URL (see TempDir.store). */
  dbPath: string;
  /** Closes the server and removes its temp dir. */
  dispose(): Promise<void>;
}

/** An in-process stub on an ephemeral loopback port with its own store (see TempDir.store). */
export async function startInProcessStub(options: Partial<StubServerOptions> = {}): Promise<InProcessStub> {
  const dir = tempDir('signoff-stub-');
  const dbPath = options.dbPath ?? dir.store('stub.sqlite');
  // `normal` sync keeps in-process tests fast; durability tests use the real process with `full`.
  const server = await createStubServer({ port: 0, sync: 'normal', ...options, dbPath });
  return Object.assign(server, {
    dbPath,
    async dispose() {
      await server.close();
      dir.remove();
    },
  });
}

/** The ApiError `request` rejects with; any other outcome fails the test. */
export async function apiFailure(request: Promise<unknown>): Promise<ApiError> {
  try {
    await request;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

/** A client signed in as `username` (demo password). */
export async function clientFor(url: string, username: string): Promise<ApiClient> {
  const client = new ApiClient({ baseUrl: url });
  await client.signIn(username, DEMO_PASSWORD);
  return client;
}

export async function clientsFor<const T extends readonly string[]>(
  url: string,
  usernames: T,
): Promise<Record<T[number], ApiClient>> {
  const entries = await Promise.all(
    usernames.map(async (name) => [name, await clientFor(url, name)] as const),
  );
  return Object.fromEntries(entries) as Record<T[number], ApiClient>;
}

export function sampleClaim(overrides: Partial<SubmitClaimRequest> = {}): SubmitClaimRequest {
  return {
    title: 'Client visit in Shanghai',
    category: 'travel',
    expenseDate: '2026-11-02',
    currency: 'CNY',
    items: [
      { description: 'Train tickets', amountMinor: 55_300 },
      { description: 'Taxi', amountMinor: 8_750 },
    ],
    totalMinor: 64_050,
    ...overrides,
  };
}

/** Raw HTTP for tests that must send what the typed client refuses to (bad JSON, wrong types). */
export async function rawRequest(
  url: string,
  method: string,
  pathname: string,
  init: { token?: string | null; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(`${url}/api/v1${pathname}`, { method, headers, body: init.body });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { notJson: text };
  }
  return { status: response.status, headers: response.headers, json };
}
