// A flagged claim's notification says its flags after its title and amount, in the user's language,
// worded like the window's (main/common/policy-flag-strings.ts); a clean claim's says nothing more.
import { describe, expect, test } from 'vitest';
import { messagesFor } from '../../../main/core/i18n';
import { undoAfterAll } from '../../support/cleanups';
import { waitFor } from '../../support/core-fakes';
import { apiFor, signedInCore } from '../../support/core-harness';
import { cleanClaim, weekendClaim } from '../../support/policy-fixtures';
import { useStubProcess } from '../../support/use-stub';

const stub = useStubProcess();
const defer = undoAfterAll();

describe('policy flags in notifications', () => {
  test('the new-claim notification of a flagged claim carries the flag line; a clean one does not', async () => {
    // Frank approves erin's claims and nothing else in this file, so each claim is its own notification.
    const frank = await signedInCore(stub().url, 'frank');
    defer(() => frank.dispose());
    const erin = await apiFor(stub().url, 'erin');
    const flagged = await erin.submitClaim(weekendClaim('Saturday client dinner', 95_000));
    await waitFor(() => frank.notifier.shown.some((n) => n.claimId === flagged.id), 'flagged notified');
    const clean = await erin.submitClaim(cleanClaim('Weekday lunch'));
    await waitFor(() => frank.notifier.shown.some((n) => n.claimId === clean.id), 'clean notified');
    const bodyOf = (id: string) => frank.notifier.shown.find((n) => n.claimId === id)?.body;
    expect(bodyOf(flagged.id)).toBe(
      'Saturday client dinner · CN¥950.00 · ⚑ Expense on a weekend (Saturday); No receipt; one is required above CN¥800.00',
    );
    expect(bodyOf(clean.id)).not.toContain('⚑');
  }, 60_000);

  test('in Simplified Chinese too', () => {
    const m = messagesFor('zh-CN');
    expect(
      m.withPolicyFlags('周末客户晚宴 · ¥950.00', [
        { code: 'weekend_expense', day: 'sunday' },
        { code: 'possible_duplicate', duplicateOf: 'EXP-000041' },
      ]),
    ).toBe('周末客户晚宴 · ¥950.00 · ⚑ 费用发生在周末（星期日）；疑似与 EXP-000041 重复');
    expect(m.withPolicyFlags('午餐 · ¥50.00', [])).toBe('午餐 · ¥50.00');
  });
});
