// A notification click can reach the page before the app has subscribed; the inbox keeps it.
import { expect, it } from 'vitest';
import type { NavigateTarget, SignoffBridge } from '../../renderer/bridge-types';
import { createNavigationInbox } from '../../renderer/navigation-inbox';

function fakeBridge() {
  let deliver: (target: NavigateTarget) => void = () => {};
  const bridge = {
    onNavigate: (listener: (target: NavigateTarget) => void) => {
      deliver = listener;
      return () => {};
    },
  } as unknown as SignoffBridge;
  return { bridge, send: (target: NavigateTarget) => deliver(target) };
}

it('hands the latest early request to the first subscriber, then streams the rest', () => {
  const { bridge, send } = fakeBridge();
  const inbox = createNavigationInbox(bridge);
  send({ view: 'queue' });
  send({ view: 'claim', claimId: 'EXP-000007' }); // the latest early request wins

  const seen: NavigateTarget[] = [];
  const unsubscribe = inbox.subscribe((target) => seen.push(target));
  expect(seen).toEqual([{ view: 'claim', claimId: 'EXP-000007' }]);

  send({ view: 'queue' });
  expect(seen).toEqual([{ view: 'claim', claimId: 'EXP-000007' }, { view: 'queue' }]);

  unsubscribe();
  send({ view: 'claim', claimId: 'EXP-000008' });
  expect(seen).toHaveLength(2);
  // One that arrives while nobody listens waits for the next subscriber.
  const late: NavigateTarget[] = [];
  inbox.subscribe((target) => late.push(target));
  expect(late).toEqual([{ view: 'claim', claimId: 'EXP-000008' }]);
});
