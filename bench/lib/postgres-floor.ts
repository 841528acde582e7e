// PostgreSQL's commit floor, measured in the same run as the pushes of a cluster on it: one
// single-row insert, committed on its own (fsync and synchronous_commit at the server's settings, as
// the stub's writes), into a scratch table of the cluster's own throwaway database, so through the
// same server and disk. One loopback round trip is included, as in every statement the stub sends.
import pg from 'pg';
import { preciseNow, type Summary, summarize } from './stats';

export class PostgresCommitFloor {
  private readonly samples: number[] = [];

  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresCommitFloor> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      'CREATE TABLE IF NOT EXISTS bench_commit_floor (id BIGSERIAL PRIMARY KEY, at DOUBLE PRECISION NOT NULL, note TEXT NOT NULL)',
    );
    return new PostgresCommitFloor(client);
  }

  /** Times one autocommitted insert (round trip, write, WAL flush, commit). */
  async sample(): Promise<void> {
    const started = preciseNow();
    await this.client.query('INSERT INTO bench_commit_floor (at, note) VALUES ($1, $2)', [
      started,
      'commit floor',
    ]);
    this.samples.push(preciseNow() - started);
  }

  summary(): Summary {
    return summarize(this.samples);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
