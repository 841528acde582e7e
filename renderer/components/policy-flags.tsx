// Policy flags (issue 14) as the window shows them: a compact ⚑ badge on a queue row (its accessible
// name lists every flag) and the full list on the claim. Words from the catalog, amounts in the
// window's money format; the flag's fields are the server's, shown as text only.
import type { PolicyFlag } from '../../protocol/policy-flags';
import { useApp } from '../context';
import type { Catalog } from '../i18n';
import { displayMoney } from '../money-display';

/** Every flag's text in the window's language. */
export function policyFlagTexts(flags: readonly PolicyFlag[], t: Catalog, locale: string): string[] {
  const money = (amountMinor: number, currency: string) => displayMoney(amountMinor, currency, locale);
  return flags.map((flag) => t.policyFlag(flag, money));
}

/** The row badge; `label` is precomputed (rows are memoised and take strings). */
export function PolicyFlagBadge({ count, label }: { count: number; label: string }) {
  if (count === 0) return null;
  return (
    <span class="policy-flag" data-testid="policy-flag-badge" title={label}>
      <span aria-hidden="true">⚑ {count}</span>
      <span class="visually-hidden">{label}</span>
    </span>
  );
}

/** The claim's flags as a list under its heading; nothing when it is clean. */
export function PolicyFlagList({ flags }: { flags: readonly PolicyFlag[] }) {
  const { t, fmt } = useApp();
  if (flags.length === 0) return null;
  return (
    <ul class="policy-flags" data-testid="claim-flags" aria-label={t.policyFlagsHeading}>
      {policyFlagTexts(flags, t, fmt.locale).map((text, index) => (
        <li key={flags[index]?.code} data-flag-code={flags[index]?.code}>
          <span aria-hidden="true">⚑ </span>
          {text}
        </li>
      ))}
    </ul>
  );
}
