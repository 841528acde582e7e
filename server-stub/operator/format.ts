// Human-readable renderings of claims, queues and events for the operator CLI's default output.
import {
  type ClaimDetail,
  type ClaimSummary,
  type DecidedClaim,
  type Delegation,
  formatMoney,
  type Receipt,
  type StepApprover,
  type UserEvent,
} from '../../protocol';

const LOCALE = 'en';

export function money(amountMinor: number, currency: string): string {
  return formatMoney(amountMinor, currency, LOCALE);
}

export function waitsOn(claim: ClaimSummary): string {
  const step = claim.currentStep;
  if (!step) return claim.state;
  return `waits on ${step.approvers.map(approverName).join(' or ')} (${step.kind}, step ${step.index + 1}/${claim.stepCount})`;
}

export function claimLine(claim: ClaimSummary): string {
  return `${claim.id}  v${claim.version}  ${claim.state.padEnd(9)} ${money(claim.totalMinor, claim.currency).padStart(14)}  ${claim.title}  — ${claim.submitter.name}; ${waitsOn(claim)}${flagsSuffix(claim)}`;
}

/** The claim's policy flag codes, comma-separated (issue 14). */
export function flagCodes(claim: ClaimSummary): string {
  return claim.flags.map((flag) => flag.code).join(', ');
}

/** ` ⚑ code, code` after a claim line; nothing for a clean claim. */
export function flagsSuffix(claim: ClaimSummary): string {
  return claim.flags.length > 0 ? `  ⚑ ${flagCodes(claim)}` : '';
}

/** A flag with its facts, for the detail view: `over_category_limit (limit CN¥1,500.00)`. */
function flagDetail(flag: ClaimSummary['flags'][number]): string {
  switch (flag.code) {
    case 'over_category_limit':
      return `${flag.code} (limit ${money(flag.limitMinor, flag.currency)})`;
    case 'possible_duplicate':
      return `${flag.code} (of ${flag.duplicateOf})`;
    case 'weekend_expense':
      return `${flag.code} (${flag.day})`;
    case 'receipt_missing':
      return `${flag.code} (required above ${money(flag.thresholdMinor, flag.currency)})`;
    case 'expense_too_old':
      return `${flag.code} (${flag.ageDays} days; limit ${flag.maxAgeDays})`;
  }
}

/** A line of "My claims": where the caller's own claim stands and, while pending, since when. */
export function submittedLine(claim: ClaimSummary): string {
  const since = claim.currentStepSince ? ` since ${claim.currentStepSince}` : '';
  return `${claim.id}  ${claim.state.padEnd(9)} ${money(claim.totalMinor, claim.currency).padStart(14)}  ${claim.title}  — submitted ${claim.submittedAt}; ${waitsOn(claim)}${since}`;
}

/** A line of "Done": what the caller decided and when, with their comment, and where the claim is now. */
export function decidedLine(claim: DecidedClaim): string {
  const { action, at, comment } = claim.decision;
  const said = comment ? ` "${comment}"` : '';
  return `${claim.id}  ${action.padEnd(8)} ${at}${said}  ${money(claim.totalMinor, claim.currency).padStart(14)}  ${claim.title}  — ${claim.submitter.name}; now ${waitsOn(claim)}`;
}

export function claimDetailLines(claim: ClaimDetail): string[] {
  const lines = [
    `${claim.id}: ${claim.title}`,
    `  state      ${claim.state} (version ${claim.version})${claim.currentStep ? `, ${waitsOn(claim)}` : ''}`,
    `  submitter  ${claim.submitter.name} (${claim.submitter.id}) at ${claim.submittedAt}`,
    `  category   ${claim.category}, expense date ${claim.expenseDate}`,
    `  total      ${money(claim.totalMinor, claim.currency)}`,
    `  flags      ${claim.flags.length > 0 ? claim.flags.map(flagDetail).join('; ') : 'none'}`,
    '  items',
    ...claim.items.map(
      (item) => `    ${money(item.amountMinor, claim.currency).padStart(14)}  ${item.description}`,
    ),
    '  chain',
    ...claim.chain.map((step) => {
      const who = step.approvers.map(approverName).join(' / ');
      const onBehalf = step.decidedOnBehalfOf ? ` on behalf of ${step.decidedOnBehalfOf.name}` : '';
      const decided = step.decidedBy ? ` by ${step.decidedBy.name}${onBehalf} at ${step.decidedAt}` : '';
      const origin = [
        step.addedBy ? ` (added by ${step.addedBy.name})` : '',
        step.transferredFrom ? ` (transferred from ${step.transferredFrom.name})` : '',
      ].join('');
      return `    ${step.index + 1}. ${step.kind.padEnd(10)} ${step.status.padEnd(9)} ${who}${decided}${origin}`;
    }),
    '  audit',
    ...claim.audit.map(
      (entry) =>
        `    ${entry.at}  ${entry.actor.name} ${entry.action}${entry.subject ? ` ${entry.subject.name}` : ''}${entry.onBehalfOf ? ` on behalf of ${entry.onBehalfOf.name}` : ''}${entry.comment ? `: "${entry.comment}"` : ''}`,
    ),
    ...(claim.receipts?.length ? ['  receipts', ...claim.receipts.map((r) => `    ${receiptLine(r)}`)] : []),
  ];
  return lines;
}

/** One receipt: id, sniffed type, size, pixel size when known, the submitter's file name. */
export function receiptLine(receipt: Receipt): string {
  const pixels = receipt.width && receipt.height ? `, ${receipt.width}×${receipt.height}` : '';
  return `${receipt.id}  ${receipt.mediaType.padEnd(15)} ${String(receipt.sizeBytes).padStart(8)} B${pixels}  ${receipt.name}`;
}

export function eventLine(event: UserEvent): string {
  const head = `#${event.seq} ${event.at} ${event.type}`;
  switch (event.type) {
    case 'claim.assigned':
      return `${head}: ${event.claim.id} "${event.claim.title}" from ${event.claim.submitter.name} now waits on you`;
    case 'claim.unassigned':
      return `${head}: ${event.claimId} left your queue (${event.reason} by ${event.by.name})`;
    case 'claim.submitted':
      return `${head}: ${event.claim.id} "${event.claim.title}" submitted`;
    case 'claim.advanced':
      return `${head}: ${event.claim.id} approved by ${event.by.name}; ${waitsOn(event.claim)}`;
    case 'claim.approved':
      return `${head}: ${event.claim.id} fully approved (last by ${event.by.name})`;
    case 'claim.rejected':
      return `${head}: ${event.claim.id} rejected by ${event.by.name}: "${event.reason}"`;
    case 'claim.withdrawn':
      return `${head}: ${event.claim.id} withdrawn`;
    case 'announcement':
      return `${head}: "${event.announcement.title}" from ${event.announcement.author.name}`;
    case 'claim.nudged':
      return `${head}: ${event.claim.id} "${event.claim.title}" nudged by ${event.by.name}`;
    case 'delegation.scheduled':
    case 'delegation.started':
    case 'delegation.ended':
      return `${head}: ${delegationLine(event.delegation)}`;
    case 'claim.changed':
      return `${head}: ${event.claim.id} ${event.change.replace('_', ' ')} by ${event.by.name}; ${waitsOn(event.claim)}`;
    case 'claim.returned':
      return `${head}: ${event.claim.id} returned to you by ${event.by.name}: "${event.reason}"`;
  }
}

/** "Grace Chen → Dave Liu, active, 2026-12-01T09:00:00.000Z – 2026-12-08T09:00:00.000Z". */
export function delegationLine(delegation: Delegation): string {
  const ended = delegation.endedAt ? ` (ended early at ${delegation.endedAt})` : '';
  return `${delegation.id} ${delegation.delegator.name} → ${delegation.delegate.name}, ${delegation.status}, ${delegation.startsAt} – ${delegation.endsAt}${ended}`;
}

/** An approver as the chain shows them: "Dave Liu (for Grace Chen)" when standing in. */
export function approverName(approver: StepApprover): string {
  return approver.onBehalfOf ? `${approver.name} (for ${approver.onBehalfOf.name})` : approver.name;
}
