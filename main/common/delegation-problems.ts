// Why a delegation could not be started or ended, as the window words it (renderer catalog
// `delegationProblem`). The server's rules (protocol DelegationRule) plus what the request got wrong.
import type { DelegationRule } from '../../protocol/delegation';

export const DELEGATION_PROBLEMS = [
  'one_at_a_time',
  'finance_only',
  'no_chain',
  'no_loop',
  /** A refusal naming no rule this client knows. */
  'refused',
  /** The delegate does not exist or is the user themselves. */
  'delegate',
  /** The dates: the end not after the start, the start past, or longer than allowed. */
  'range',
  /** There is no delegation to end (it ended meanwhile). */
  'none',
] as const satisfies readonly (DelegationRule | string)[];
export type DelegationProblem = (typeof DELEGATION_PROBLEMS)[number];
