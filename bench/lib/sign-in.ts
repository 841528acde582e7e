// Signs many users in against the stub. Each sign-in costs the stub one scrypt verify (~tens of ms of
// a libuv pool thread), so they run a bounded number at a time and the tokens are reused for many
// connections each. They share one keep-alive node:http client (see node-http-fetch.ts).
import http from 'node:http';
import { ApiClient, type FetchLike } from '../../protocol';
import { nodeHttpFetch } from './node-http-fetch';
import { preciseNow } from './stats';

export interface SignedIn {
  clients: Map<string, ApiClient>;
  elapsedMs: number;
  /** The keep-alive HTTP client every one of `clients` sends through. */
  fetch: FetchLike;
}

export async function signInAll(
  baseUrl: string,
  usernames: readonly string[],
  password: string,
  concurrency: number,
): Promise<SignedIn> {
  const started = preciseNow();
  const clients = new Map<string, ApiClient>();
  const fetch = nodeHttpFetch(new http.Agent({ keepAlive: true }));
  let next = 0;
  const lane = async () => {
    while (next < usernames.length) {
      const username = usernames[next++]!;
      const client = new ApiClient({ baseUrl, timeoutMs: 60_000, fetch });
      await client.signIn(username, password);
      clients.set(username, client);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, usernames.length) }, lane));
  return { clients, elapsedMs: preciseNow() - started, fetch };
}

/** The bearer token of a signed-in user (throws if that user was not signed in). */
export function tokenOf(signedIn: SignedIn, username: string): string {
  const token = signedIn.clients.get(username)?.token;
  if (!token) throw new Error(`${username} is not signed in`);
  return token;
}
