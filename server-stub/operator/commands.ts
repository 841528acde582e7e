// The operator CLI's everyday commands: each one a thin, typed use of the REST API.
import { randomUUID } from 'node:crypto';
import {
  type ApiClient,
  CLAIM_LIST_MAX_LIMIT,
  ClaimCategory,
  type ClaimDetail,
  type ClaimListPaging,
  type ClaimListScope,
  CurrencyCode,
  type Cursor,
  type EventsPage,
  SubmitClaimRequest,
} from '../../protocol';
import { parseItem } from './amounts';
import {
  type CommandContext,
  type CommandSpec,
  type OptionValues,
  optionalInt,
  optionalString,
  requireString,
} from './command';
import { UsageError } from './describe-error';
import {
  claimDetailLines,
  claimLine,
  decidedLine,
  eventLine,
  flagsSuffix,
  money,
  submittedLine,
  waitsOn,
} from './format';
import {
  RECEIPT_OPTION_DETAILS,
  readReceiptFiles,
  receiptCommand,
  receiptsCommand,
} from './receipt-commands';

export function asUser(context: CommandContext, spec: CommandSpec): string {
  const user = context.user ?? spec.defaultUser;
  if (!user) throw new UsageError(`${spec.name} needs --user <username>`);
  return user;
}

/** A command without arguments that reads one thing as --user and prints it as lines (or JSON). */
function readCommand<T>(read: {
  name: string;
  summary: string;
  fetch: (client: ApiClient) => Promise<T>;
  lines: (result: T) => string[];
}): CommandSpec {
  const spec: CommandSpec = {
    name: read.name,
    summary: read.summary,
    usage: '',
    options: {},
    positionals: [],
    async run(context) {
      const client = await context.pool.as(asUser(context, spec));
      const result = await read.fetch(client);
      context.out.result(result, read.lines(result));
    },
  };
  return spec;
}

const whoami = readCommand({
  name: 'whoami',
  summary: 'show who --user is: department, roles, supervisor, session expiry',
  fetch: (client) => client.me(),
  lines: (me) => [
    `${me.user.name} (${me.user.id})`,
    `  department  ${me.user.department ?? '—'}`,
    `  roles       ${me.user.roles.join(', ')}`,
    `  supervisor  ${me.user.supervisor?.name ?? '—'}`,
    `  session     valid until ${me.sessionExpiresAt}`,
  ],
});

const submit: CommandSpec = {
  name: 'submit',
  summary: 'submit a claim as --user',
  usage:
    '--title <text> --category <category> --item "description=12.34" [--item ...] [--date YYYY-MM-DD] [--currency CNY] [--receipt <file> ...]',
  details: [
    `categories: ${ClaimCategory.options.join(', ')}`,
    'amounts are exact decimals in the currency (CNY 2 places, JPY none, KWD 3); --date defaults to today',
    ...RECEIPT_OPTION_DETAILS,
  ],
  options: {
    title: { type: 'string' },
    category: { type: 'string' },
    date: { type: 'string' },
    currency: { type: 'string', default: 'CNY' },
    item: { type: 'string', multiple: true },
    receipt: { type: 'string', multiple: true },
  },
  positionals: [],
  async run(context, values) {
    const currency = String(values.currency).trim().toUpperCase();
    if (!CurrencyCode.safeParse(currency).success)
      throw new UsageError(`--currency "${currency}" is not an ISO 4217 code`);
    const category = ClaimCategory.safeParse(requireString(values, 'category'));
    if (!category.success) {
      throw new UsageError(`--category must be one of ${ClaimCategory.options.join(', ')}`);
    }
    const rawItems = (values.item as string[] | undefined) ?? [];
    if (rawItems.length === 0) throw new UsageError('at least one --item "description=amount" is required');
    const items = rawItems.map((item) => parseItem(item, currency));
    const receipts = readReceiptFiles((values.receipt as string[] | undefined) ?? []);
    const request = {
      title: requireString(values, 'title'),
      category: category.data,
      expenseDate: optionalString(values, 'date') ?? new Date().toISOString().slice(0, 10),
      currency,
      items,
      totalMinor: items.reduce((sum, item) => sum + item.amountMinor, 0),
      ...(receipts.length > 0 ? { receipts } : {}),
    };
    const checked = SubmitClaimRequest.safeParse(request);
    if (!checked.success) {
      throw new UsageError(
        checked.error.issues.map((i) => `${i.path.join('.') || 'claim'}: ${i.message}`).join('; '),
      );
    }
    const client = await context.pool.as(asUser(context, submit));
    const claim = await client.submitClaim(request, { idempotencyKey: randomUUID() });
    context.out.result(
      claim,
      `submitted ${claim.id} "${claim.title}" for ${money(claim.totalMinor, claim.currency)}${receipts.length > 0 ? ` with ${receipts.length} receipt(s)` : ''}; ${waitsOn(claim)}${flagsSuffix(claim)}`,
    );
  },
};

/** The version to quote: --version if given, else the claim's current one (one extra GET). */
async function versionFor(context: CommandContext, values: OptionValues, id: string, user: string) {
  const given = optionalInt(values, 'version', 1);
  if (given !== undefined) return given;
  const client = await context.pool.as(user);
  return (await client.getClaim(id)).version;
}

function outcome(claim: ClaimDetail): string {
  if (claim.state === 'pending') return `${claim.id} is now at version ${claim.version}; ${waitsOn(claim)}`;
  return `${claim.id} is now ${claim.state} (version ${claim.version})`;
}

/** Sends a decision on claim `id` at `version`, once (the idempotency key makes a retry harmless). */
type SendAction = (
  client: ApiClient,
  id: string,
  version: number,
  once: { idempotencyKey: string },
) => Promise<ClaimDetail>;

/**
 * A command that acts on one claim as --user at its version (--version, else the current one).
 * `prepare` reads the action's own options first, so a missing one fails before anything is fetched.
 */
export function claimActionCommand(
  action: Omit<CommandSpec, 'positionals' | 'run'> & {
    /** Past tense, for the result line: "approved". */
    done: string;
    prepare: (values: OptionValues) => SendAction;
  },
): CommandSpec {
  const { done, prepare, ...shown } = action;
  const spec: CommandSpec = {
    ...shown,
    positionals: ['claim-id'],
    async run(context, values, [id]) {
      const user = asUser(context, spec);
      const send = prepare(values);
      const version = await versionFor(context, values, id!, user);
      const client = await context.pool.as(user);
      const claim = await send(client, id!, version, { idempotencyKey: randomUUID() });
      context.out.result(claim, `${done}. ${outcome(claim)}`);
    },
  };
  return spec;
}

/** The request body of an action with an optional --comment. */
function withComment(values: OptionValues, version: number) {
  const comment = optionalString(values, 'comment');
  return comment ? { version, comment } : { version };
}

const COMMENT_USAGE = '<claim-id> [--comment <text>] [--version <n>]';
const COMMENT_OPTIONS = { comment: { type: 'string' }, version: { type: 'string' } } as const;

const approve = claimActionCommand({
  name: 'approve',
  summary: 'approve a claim waiting on --user',
  usage: COMMENT_USAGE,
  details: ['without --version the claim is fetched first and its current version quoted'],
  options: COMMENT_OPTIONS,
  done: 'approved',
  prepare: (values) => (client, id, version, once) => client.approve(id, withComment(values, version), once),
});

const reject = claimActionCommand({
  name: 'reject',
  summary: 'reject a claim waiting on --user',
  usage: '<claim-id> --reason <text> [--version <n>]',
  options: { reason: { type: 'string' }, version: { type: 'string' } },
  done: 'rejected',
  prepare: (values) => {
    const reason = requireString(values, 'reason');
    return (client, id, version, once) => client.reject(id, { version, reason }, once);
  },
});

const withdraw = claimActionCommand({
  name: 'withdraw',
  summary: "withdraw --user's own pending claim",
  usage: COMMENT_USAGE,
  options: COMMENT_OPTIONS,
  done: 'withdrawn',
  prepare: (values) => (client, id, version, once) => client.withdraw(id, withComment(values, version), once),
});

const nudge: CommandSpec = {
  name: 'nudge',
  summary: "nudge (催办) the current approvers of --user's own pending claim",
  usage: '<claim-id>',
  details: [
    'allowed once the claim waited at its step for the threshold (stub: --nudge-after-seconds, default 24 h),',
    'and at most once per claim per 24 h; too early fails with nudge_too_soon and says when it is allowed',
  ],
  options: {},
  positionals: ['claim-id'],
  async run(context, _values, [id]) {
    const client = await context.pool.as(asUser(context, nudge));
    const claim = await client.nudge(id!, { idempotencyKey: randomUUID() });
    const who = claim.currentStep?.approvers.map((a) => a.name).join(', ') ?? 'nobody';
    context.out.result(claim, `nudged ${who} about ${claim.id}; next nudge from ${claim.nudgeAllowedFrom}`);
  },
};

const queue = readCommand({
  name: 'queue',
  summary: 'list the claims waiting on --user',
  fetch: (client) => client.queue(),
  lines: (snapshot) => [
    `${snapshot.claims.length} claim(s) waiting (cursor ${snapshot.cursor.epoch}:${snapshot.cursor.seq})`,
    ...snapshot.claims.map(claimLine),
  ],
});

const PAGING_OPTIONS = { limit: { type: 'string' }, cursor: { type: 'string' } } as const;
const PAGING_USAGE = '[--limit <n>] [--cursor <cursor>]';

function pagingOf(values: OptionValues): ClaimListPaging {
  const limit = optionalInt(values, 'limit', 1);
  if (limit !== undefined && limit > CLAIM_LIST_MAX_LIMIT) {
    throw new UsageError(`--limit must be at most ${CLAIM_LIST_MAX_LIMIT}, not ${limit}`);
  }
  const cursor = optionalString(values, 'cursor');
  return { ...(limit === undefined ? {} : { limit }), ...(cursor === undefined ? {} : { cursor }) };
}

/** The last line of a page: how to ask for the next one, so paging needs no JSON parsing. */
function morePagesLine(command: string, user: string, nextCursor: string | null): string[] {
  return nextCursor ? [`more: npm run cli -- ${command} --user ${user} --cursor ${nextCursor}`] : [];
}

function pagingDetails(scope: ClaimListScope, order: string): string[] {
  return [
    `GET /claims?scope=${scope}: ${order}`,
    `--limit is the page size (1–${CLAIM_LIST_MAX_LIMIT}, server default 50); when more follow, the last line gives the --cursor for the next page`,
  ];
}

/** A paged claim list of --user's: a count line, one line per claim, then how to get the next page. */
function claimListCommand<C>(list: {
  scope: Extract<ClaimListScope, 'mine' | 'decided'>;
  summary: string;
  /** The order of the list, for --help. */
  order: string;
  /** What the count says the user did to them: "submitted", "decided". */
  verb: string;
  fetch: (client: ApiClient, paging: ClaimListPaging) => Promise<{ claims: C[]; nextCursor: string | null }>;
  line: (claim: C) => string;
}): CommandSpec {
  const spec: CommandSpec = {
    name: list.scope,
    summary: list.summary,
    usage: PAGING_USAGE,
    details: pagingDetails(list.scope, list.order),
    options: PAGING_OPTIONS,
    positionals: [],
    async run(context, values) {
      const user = asUser(context, spec);
      const client = await context.pool.as(user);
      const page = await list.fetch(client, pagingOf(values));
      context.out.result(page, [
        `${page.claims.length} claim(s) ${list.verb} by ${user}`,
        ...page.claims.map(list.line),
        ...morePagesLine(list.scope, user, page.nextCursor),
      ]);
    },
  };
  return spec;
}

const mine = claimListCommand({
  scope: 'mine',
  summary: "list --user's own claims (My claims): state, current step, who holds it, since when",
  order: 'newest submission first',
  verb: 'submitted',
  fetch: (client, paging) => client.listClaims('mine', paging),
  line: submittedLine,
});

const decided = claimListCommand({
  scope: 'decided',
  summary: 'list the claims --user approved or rejected (Done), with their comment',
  order: 'newest decision first',
  verb: 'decided',
  fetch: (client, paging) => client.listClaims('decided', paging),
  line: decidedLine,
});

const claim: CommandSpec = {
  name: 'claim',
  summary: 'show one claim with its items, approval chain and audit trail',
  usage: '<claim-id>',
  options: {},
  positionals: ['claim-id'],
  async run(context, _values, [id]) {
    const client = await context.pool.as(asUser(context, claim));
    const detail = await client.getClaim(id!);
    context.out.result(detail, claimDetailLines(detail));
  },
};

const events: CommandSpec = {
  name: 'events',
  summary: "print --user's event stream (all retained, or after --after); --follow waits for more",
  usage: '[--after <seq>] [--epoch <epoch>] [--follow] [--max <n>]',
  details: [
    '--after needs the stream epoch; without --epoch it is taken from the current queue snapshot',
    '--follow long-polls and prints events as they arrive until interrupted (or --max events printed)',
    'with --json, --follow prints one JSON event per line',
  ],
  options: {
    after: { type: 'string' },
    epoch: { type: 'string' },
    follow: { type: 'boolean', default: false },
    max: { type: 'string' },
  },
  positionals: [],
  async run(context, values) {
    const client = await context.pool.as(asUser(context, events));
    const after = optionalInt(values, 'after', 0);
    const max = optionalInt(values, 'max', 1);
    let cursor: Cursor | null = null;
    if (after !== undefined) {
      cursor = { epoch: optionalString(values, 'epoch') ?? (await client.queue()).cursor.epoch, seq: after };
    }
    if (!values.follow) {
      const page: EventsPage = await client.events(cursor, { limit: max ?? 1000 });
      if (page.status === 'reset') {
        context.out.result(
          page,
          `cannot replay from there (${page.reason}); the stream is at ${page.cursor.seq}`,
        );
        return;
      }
      context.out.result(page, [
        ...page.events.map(eventLine),
        `cursor ${page.cursor.epoch}:${page.cursor.seq}`,
      ]);
      return;
    }
    // Following without --after starts at the head: only what happens from now on.
    cursor ??= (await client.queue()).cursor;
    context.out.note(`following ${cursor.epoch}:${cursor.seq}; Ctrl+C to stop`);
    let printed = 0;
    for (;;) {
      const page = await client.events(cursor, { waitSeconds: 25 });
      if (page.status === 'reset') {
        context.out.note(`stream reset (${page.reason}); continuing from ${page.cursor.seq}`);
      } else {
        for (const event of page.events) {
          context.out.result(event, eventLine(event));
          if (max !== undefined && ++printed >= max) return;
        }
      }
      cursor = page.cursor;
    }
  },
};

const announce: CommandSpec = {
  name: 'announce',
  summary: 'send an announcement to everyone (as admin unless --user is given)',
  usage: '--title <text> [--body <text>]',
  options: { title: { type: 'string' }, body: { type: 'string' } },
  positionals: [],
  defaultUser: 'admin',
  async run(context, values) {
    const client = await context.pool.as(asUser(context, announce));
    const announcement = await client.announce(
      { title: requireString(values, 'title'), body: optionalString(values, 'body') ?? '' },
      { idempotencyKey: randomUUID() },
    );
    context.out.result(announcement, `announced ${announcement.id} "${announcement.title}"`);
  },
};

export const EVERYDAY_COMMANDS: readonly CommandSpec[] = [
  whoami,
  submit,
  approve,
  reject,
  withdraw,
  nudge,
  queue,
  mine,
  decided,
  claim,
  events,
  announce,
  receiptsCommand,
  receiptCommand,
];
