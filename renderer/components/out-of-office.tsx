// Settings › Out of office: my delegation (to whom, until when) with "End now", a form to start one
// (person, from, until), and the delegations I cover. Re-read whenever the snapshot's listsRevision
// moves: every event on my stream moves it, delegation.started / ended included, so a delegation
// that starts or ends on the server's clock, or from another device, shows here without a reload.
import { useEffect, useState } from 'preact/hooks';
import type { MyDelegations } from '../../protocol/delegation';
import type { UserRef } from '../../protocol/users';
import type { DelegationOutcomeView, IpcError } from '../bridge-types';
import { useApp } from '../context';
import { type Message, problemText } from '../i18n';
import { ActionButton, DateField, SelectField } from './fields';

const DEFAULT_DAYS = 7;

/** `YYYY-MM-DD` of a local calendar day, `days` after today. */
function localDay(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The instant a local calendar day starts (`plusDays` later), as the protocol's UTC instant. */
function startOfLocalDay(day: string, plusDays = 0): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date + plusDays).toISOString();
}

export function OutOfOffice({
  revision,
  onStatus,
}: {
  /** The snapshot's listsRevision: a change means "look again". */
  revision: number;
  onStatus: (status: { ok: boolean; text: Message }) => void;
}) {
  const { t, fmt, bridge } = useApp();
  const [mine, setMine] = useState<MyDelegations | null>(null);
  const [candidates, setCandidates] = useState<UserRef[]>([]);
  const [delegateId, setDelegateId] = useState('');
  const [from, setFrom] = useState(localDay(0));
  const [until, setUntil] = useState(localDay(DEFAULT_DAYS));
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let current = true;
    void bridge.getDelegations({}).then((response) => {
      if (current && response.ok) setMine(response.value);
    });
    return () => {
      current = false;
    };
  }, [bridge, revision, reload]);

  useEffect(() => {
    void bridge.delegationCandidates({}).then((response) => {
      if (response.ok) setCandidates(response.value);
    });
  }, [bridge]);

  function report(response: { ok: true; value: DelegationOutcomeView } | { ok: false; error: IpcError }) {
    setReload((n) => n + 1);
    if (!response.ok) {
      const { error } = response;
      onStatus({ ok: false, text: (now) => problemText(now, error) });
    } else if (!response.value.ok) {
      const { problem } = response.value;
      onStatus({ ok: false, text: (now) => now.delegationProblem(problem) });
    } else {
      const ended = response.value.delegation.status === 'ended';
      onStatus({ ok: true, text: (now) => (ended ? now.delegationEnded : now.delegationStarted) });
    }
  }

  async function start() {
    if (!delegateId) {
      onStatus({ ok: false, text: (now) => now.delegationProblem('delegate') });
      return;
    }
    const startsLater = from > localDay(0);
    report(
      await bridge.startDelegation({
        delegateId,
        ...(startsLater ? { startsAt: startOfLocalDay(from) } : {}),
        // "Until" is inclusive: the delegation ends as that day ends.
        endsAt: startOfLocalDay(until, 1),
      }),
    );
  }

  const outgoing = mine?.outgoing ?? null;
  return (
    <fieldset class="out-of-office" data-testid="out-of-office">
      <legend>{t.outOfOffice}</legend>
      <p class="muted small">{t.outOfOfficeHint}</p>
      {outgoing ? (
        <div data-testid="delegation-current">
          <p class="delegation-now">
            {outgoing.status === 'scheduled'
              ? t.delegationScheduled(
                  outgoing.delegate.name,
                  fmt.dateTime(outgoing.startsAt),
                  fmt.dateTime(outgoing.endsAt),
                )
              : t.delegatingTo(outgoing.delegate.name, fmt.dateTime(outgoing.endsAt))}
          </p>
          <ActionButton
            label={outgoing.status === 'scheduled' ? t.cancelDelegation : t.endDelegationNow}
            testId="end-delegation"
            onClick={async () => report(await bridge.endDelegation({}))}
          />
        </div>
      ) : (
        mine && (
          <div data-testid="delegation-form">
            <SelectField
              label={t.delegateTo}
              testId="delegate"
              value={delegateId}
              options={[
                { value: '', label: t.chooseDelegate },
                ...candidates.map((user) => ({ value: user.id, label: user.name })),
              ]}
              onChange={setDelegateId}
            />
            <div class="row-inline">
              <DateField
                label={t.delegateFrom}
                hint={t.dateHint}
                invalid={t.dateInvalid}
                testId="delegate-from"
                value={from}
                min={localDay(0)}
                onChange={setFrom}
              />
              <DateField
                label={t.delegateUntil}
                hint={t.dateHint}
                invalid={t.dateInvalid}
                testId="delegate-until"
                value={until}
                min={from}
                onChange={setUntil}
              />
            </div>
            <ActionButton label={t.startDelegation} testId="start-delegation" onClick={start} />
          </div>
        )
      )}
      {mine?.incoming.map((delegation) => (
        <p key={delegation.id} class="delegation-now" data-testid="delegation-covering">
          {t.coveringFor(delegation.delegator.name, fmt.dateTime(delegation.endsAt))}
        </p>
      ))}
    </fieldset>
  );
}
