// The operator CLI's delegation (out of office) commands: `delegate`, `delegation`, `delegation end`.
import { randomUUID } from 'node:crypto';
import { type ApiClient, ApiError, MAX_DELEGATION_DAYS, type MyDelegations } from '../../protocol';
import { type CommandContext, type CommandSpec, optionalString, requireString } from './command';
import { UsageError } from './describe-error';
import { delegationLine } from './format';

const RELATIVE = /^\+(\d{1,4})([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A time as an operator types it: an ISO 8601 instant (`2026-12-08T09:00:00Z`), a date (midnight UTC),
 * or relative to now (`+30m`, `+12h`, `+7d`). Returns the ISO instant the protocol wants.
 */
export function parseWhen(text: string, flag: string, now: number): string {
  const trimmed = text.trim();
  const relative = RELATIVE.exec(trimmed);
  if (relative) {
    return new Date(now + Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]).toISOString();
  }
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? Date.parse(`${trimmed}T00:00:00Z`) : Date.parse(trimmed);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed) || Number.isNaN(ms)) {
    throw new UsageError(`--${flag} "${text}" is not a time: use 2026-12-08, 2026-12-08T09:00:00Z or +7d`);
  }
  return new Date(ms).toISOString();
}

function userOf(context: CommandContext, spec: CommandSpec): string {
  if (!context.user) throw new UsageError(`${spec.name} needs --user <username>`);
  return context.user;
}

function delegationLines(mine: MyDelegations): string[] {
  return [
    mine.outgoing ? `out of office: ${delegationLine(mine.outgoing)}` : 'no delegation of your own',
    ...mine.incoming.map((delegation) => `covering: ${delegationLine(delegation)}`),
  ];
}

const delegate: CommandSpec = {
  name: 'delegate',
  summary: "hand --user's approvals to another user for a time range (out of office)",
  usage: '--to <username> --until <time> [--from <time>]',
  details: [
    'times: 2026-12-08 (midnight UTC), 2026-12-08T09:00:00Z, or relative: +30m, +12h, +7d; --from defaults to now',
    `at most ${MAX_DELEGATION_DAYS} days; finance members delegate only to finance; no chains or loops`,
    'claims waiting on --user move to the delegate when it starts and come back when it ends',
  ],
  options: { to: { type: 'string' }, from: { type: 'string' }, until: { type: 'string' } },
  positionals: [],
  async run(context, values) {
    const user = userOf(context, delegate);
    const now = Date.now();
    const delegateId = requireString(values, 'to').trim().toLowerCase();
    const endsAt = parseWhen(requireString(values, 'until'), 'until', now);
    const from = optionalString(values, 'from');
    const request = { delegateId, endsAt, ...(from ? { startsAt: parseWhen(from, 'from', now) } : {}) };
    const client = await context.pool.as(user);
    const delegation = await client.delegate(request, { idempotencyKey: randomUUID() });
    context.out.result(delegation, `delegated: ${delegationLine(delegation)}`);
  },
};

const delegation: CommandSpec = {
  name: 'delegation',
  summary: "show --user's delegation and the ones they cover; `delegation end` ends theirs now",
  usage: '[end]',
  details: [
    'end: an active delegation ends now and claims still waiting go back; a scheduled one is cancelled',
  ],
  options: {},
  positionals: [],
  optionalPositionals: ['end'],
  async run(context, _values, [action]) {
    const user = userOf(context, delegation);
    const client = await context.pool.as(user);
    if (action === undefined) {
      const mine = await client.myDelegations();
      context.out.result(mine, delegationLines(mine));
      return;
    }
    if (action !== 'end') throw new UsageError(`delegation takes nothing or "end", not "${action}"`);
    const ended = await client.endDelegation({ idempotencyKey: randomUUID() });
    context.out.result(ended, `ended: ${delegationLine(ended)}`);
  },
};

export const DELEGATION_COMMANDS: readonly CommandSpec[] = [delegate, delegation];

/** Who is out of office while `simulate` runs: the director, covered by a manager (as in the demo). */
export const SIMULATED_ABSENCE = { delegatorId: 'heidi', delegateId: 'carol' } as const;

/**
 * Puts the director out of office for the length of a simulation, so its claims include approvals
 * "on behalf of". Leaves an existing delegation (e.g. the demo's) alone, and ends only its own.
 */
export async function absenceDuring(
  client: ApiClient,
  seconds: number,
  note: (message: string) => void,
): Promise<{ end(): Promise<void> }> {
  const endsAt = new Date(Date.now() + (seconds + 60) * 1000).toISOString();
  try {
    await client.delegate({ delegateId: SIMULATED_ABSENCE.delegateId, endsAt });
    note(`${SIMULATED_ABSENCE.delegatorId} is out of office; ${SIMULATED_ABSENCE.delegateId} covers`);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'delegation_refused') {
      note(`${SIMULATED_ABSENCE.delegatorId}'s existing delegation stays as it is`);
      return { async end() {} };
    }
    throw error;
  }
  return {
    async end() {
      await client.endDelegation().catch(() => undefined);
    },
  };
}
