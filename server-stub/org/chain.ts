// Who must approve a claim, decided once at submission. Pure: takes the org as data, so it is
// table-tested without a database and the stored result is immune to later org changes.
import type { Role, StepKind } from '../../protocol';

export interface OrgMember {
  id: string;
  department: string | null;
  roles: readonly Role[];
  supervisorId: string | null;
}

export interface PlannedStep {
  kind: StepKind;
  /** Any one of these may decide the step. Never empty. */
  approverIds: string[];
}

/**
 * Direct supervisor → manager of the submitter's department → finance (all finance members, any one may
 * act). A step with nobody eligible is skipped; a person appears at most once (at their first step);
 * the submitter never approves their own claim, which is why a finance member's claim goes to the
 * other finance members.
 */
export function buildApprovalChain(submitterId: string, org: readonly OrgMember[]): PlannedStep[] {
  const submitter = org.find((member) => member.id === submitterId);
  if (!submitter) throw new Error(`unknown submitter ${submitterId}`);

  const alreadyInChain = new Set<string>([submitterId]);
  const steps: PlannedStep[] = [];
  const addStep = (kind: StepKind, candidates: readonly string[]) => {
    const approverIds = [...new Set(candidates)].filter((id) => !alreadyInChain.has(id));
    if (approverIds.length === 0) return;
    for (const id of approverIds) alreadyInChain.add(id);
    steps.push({ kind, approverIds });
  };

  addStep('supervisor', submitter.supervisorId ? [submitter.supervisorId] : []);
  addStep(
    'manager',
    submitter.department === null
      ? []
      : org
          .filter((member) => member.department === submitter.department && member.roles.includes('manager'))
          .map((member) => member.id),
  );
  addStep(
    'finance',
    org.filter((member) => member.roles.includes('finance')).map((member) => member.id),
  );
  return steps;
}
