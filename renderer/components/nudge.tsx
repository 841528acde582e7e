// Nudge (催办) in the window: the Nudge bar under My claims, for the selected claim, and the "Nudged"
// marker of a queue row. The server decides when a nudge is allowed (ClaimSummary.nudgeAllowedFrom);
// the bar only shows it: enabled from then on, disabled with "you can nudge from …" before. Sending
// asks first ("Remind Bob Li about EXP-000042?"), like every action of the window.
import { useEffect, useState } from 'preact/hooks';
import { nudgedAtCurrentStep } from '../../main/common/nudge';
import type { ClaimSummary } from '../../protocol/claims';
import { useApp } from '../context';
import { problemText } from '../i18n';

type Phase = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'sending' };

/** The Nudge button (or why not yet) for one of my claims; nothing unless it is pending on a server with nudges. */
export function NudgeBar({ claim, now }: { claim: ClaimSummary; now: number }) {
  const { bridge, t, fmt } = useApp();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  // Another claim selected: its own bar, from the start.
  useEffect(() => {
    setPhase({ kind: 'idle' });
    setOutcome(null);
  }, [claim.id]);

  const allowedFrom = claim.nudgeAllowedFrom;
  const approvers = claim.currentStep?.approvers.map((a) => a.name) ?? [];
  if (claim.state !== 'pending' || !allowedFrom || approvers.length === 0) return null;
  const allowed = Date.parse(allowedFrom) <= now;

  async function send() {
    setPhase({ kind: 'sending' });
    const response = await bridge.nudge({ id: claim.id });
    setPhase({ kind: 'idle' });
    if (!response.ok) {
      setOutcome({ ok: false, text: problemText(t, response.error) });
      return;
    }
    const result = response.value;
    // The core words `message` in the window's language.
    setOutcome(
      result.ok ? { ok: true, text: t.nudgeSent(t.holders(approvers)) } : { ok: false, text: result.message },
    );
  }

  return (
    <div class="nudge-bar" data-testid="nudge-bar">
      {phase.kind === 'idle' ? (
        <div class="actions">
          <button
            type="button"
            data-testid="nudge"
            disabled={!allowed}
            aria-describedby={allowed ? undefined : 'nudge-why'}
            onClick={() => {
              setOutcome(null);
              setPhase({ kind: 'confirm' });
            }}
          >
            {t.nudgeButton(claim.id)}
          </button>
          {!allowed && (
            <span id="nudge-why" class="hint" data-testid="nudge-why">
              {t.nudgeAllowedFrom(fmt.dateTime(allowedFrom))}
            </span>
          )}
        </div>
      ) : (
        <section class="confirm" aria-labelledby="nudge-question" data-testid="nudge-confirmation">
          <h2 id="nudge-question">{t.nudgeQuestion(t.holders(approvers), claim.id)}</h2>
          <div class="actions">
            <button
              type="button"
              class="primary"
              data-testid="nudge-send"
              disabled={phase.kind === 'sending'}
              onClick={() => void send()}
            >
              {t.nudgeSend}
            </button>
            <button type="button" data-testid="nudge-cancel" onClick={() => setPhase({ kind: 'idle' })}>
              {t.cancel}
            </button>
          </div>
        </section>
      )}
      {outcome && (
        <p class={outcome.ok ? 'nudge-sent' : 'notice'} role="status" data-testid="nudge-outcome">
          {outcome.text}
        </p>
      )}
    </div>
  );
}

/** "Nudged · 2 hours ago" on a queue row whose current approvers (me) were nudged; nothing otherwise. */
export function NudgedMarker({ claim, now }: { claim: ClaimSummary; now: number }) {
  const { t, fmt } = useApp();
  const at = nudgedAtCurrentStep(claim);
  if (!at) return null;
  const long = t.nudgedAgo(fmt.relative(at, now));
  return (
    <span class="nudged-flag" data-testid="row-nudged" title={`${long} (${fmt.dateTime(at)})`}>
      <span aria-hidden="true">{t.nudgedMarker}</span>
      <span class="visually-hidden">{long}</span>
    </span>
  );
}
