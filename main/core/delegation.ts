// Delegation (out of office) for the window's Settings: read, start and end the signed-in user's
// delegation. A refusal the user can fix (a rule, a bad range) comes back as a problem kind the window
// words in its own language; anything else (offline, expired session) is thrown as for other reads.
import { randomUUID } from 'node:crypto';
import {
  type ApiClient,
  ApiError,
  type DelegateRequest,
  type Delegation,
  type MyDelegations,
  type UserRef,
} from '../../protocol';
import type { DelegationProblem } from '../common/delegation-problems';
import type { DelegationOutcome } from './ports';

export function readDelegations(api: ApiClient): Promise<MyDelegations> {
  return api.myDelegations();
}

export async function delegationCandidates(api: ApiClient): Promise<UserRef[]> {
  return (await api.delegationCandidates()).users;
}

export function startDelegation(api: ApiClient, request: DelegateRequest): Promise<DelegationOutcome> {
  return outcomeOf(api.delegate(request, { idempotencyKey: randomUUID() }));
}

export function endDelegation(api: ApiClient): Promise<DelegationOutcome> {
  return outcomeOf(api.endDelegation({ idempotencyKey: randomUUID() }));
}

async function outcomeOf(request: Promise<Delegation>): Promise<DelegationOutcome> {
  try {
    return { ok: true, delegation: await request };
  } catch (error) {
    const problem = error instanceof ApiError ? problemOf(error) : null;
    if (problem) return { ok: false, problem };
    throw error;
  }
}

function problemOf(error: ApiError): DelegationProblem | null {
  const { body } = error;
  if (body.code === 'delegation_refused') return body.delegationRule ?? 'refused';
  // Ended meanwhile (another device, or it ran out): nothing left to end.
  if (body.code === 'not_found') return 'none';
  if (body.code === 'bad_request') {
    return body.issues?.some((issue) => issue.path === 'delegateId') ? 'delegate' : 'range';
  }
  return null;
}
