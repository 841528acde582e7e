// Signed-in API clients, one per user, created on first use and reused: sign-in runs a deliberately
// slow password hash on the server (and is throttled), so a command never signs in twice as one user.
import { ApiClient } from '../../protocol';

export interface ConnectionSettings {
  server: string;
  password: string;
  timeoutMs?: number;
}

export class ClientPool {
  private readonly clients = new Map<string, Promise<ApiClient>>();

  constructor(private readonly settings: ConnectionSettings) {}

  /** An unauthenticated client (for /info). */
  anonymous(): ApiClient {
    return new ApiClient({ baseUrl: this.settings.server, timeoutMs: this.settings.timeoutMs });
  }

  as(username: string): Promise<ApiClient> {
    let client = this.clients.get(username);
    if (!client) {
      const created = this.anonymous();
      client = created.signIn(username, this.settings.password).then(() => created);
      // A failed sign-in is not cached, so a later call may try again.
      client.catch(() => this.clients.delete(username));
      this.clients.set(username, client);
    }
    return client;
  }

  /** Signs every pooled client out, so the operator tool leaves no live sessions behind. */
  async signOutAll(): Promise<void> {
    const clients = await Promise.allSettled([...this.clients.values()]);
    this.clients.clear();
    await Promise.allSettled(
      clients.map((result) => (result.status === 'fulfilled' ? result.value.signOut() : Promise.resolve())),
    );
  }
}
