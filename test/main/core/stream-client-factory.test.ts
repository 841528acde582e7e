// Which transport a session gets: the settings, and for `auto` what the server's `/info` advertises
// (signoff.v1 first; nothing advertised = an older server = signoff.v1).
import { expect, test } from 'vitest';
import { parseServerUrl } from '../../../main/core/server-url';
import { chooseTransport, mayFallBack, type StreamSettings } from '../../../main/core/stream-client-factory';
import { ServerInfo, type Transport } from '../../../protocol';
import { captureLogger } from '../../support/core-fakes';

const address = parseServerUrl('https://signoff.example.com/app', false);
const defaults: StreamSettings = {
  transport: 'auto',
  stompPath: '/ws',
  stompUserDestination: '/user/queue/events',
  stompBroadcastDestination: '/topic/announcements',
  stompUrl: null,
  allowInsecureServer: false,
};
const SIGNOFF = { kind: 'signoff', url: 'wss://signoff.example.com/app/api/v1/stream' };
const stompOffer: Transport = {
  kind: 'stomp',
  path: '/stomp',
  destinations: { user: '/user/queue/claims', broadcast: '/topic/news' },
};

function choose(settings: Partial<StreamSettings>, advertised?: Transport[]) {
  const log = captureLogger();
  return { choice: chooseTransport(address, { ...defaults, ...settings }, advertised, log), log };
}

test('auto: signoff.v1 when offered or when the server says nothing; else STOMP where /info says', () => {
  expect(choose({}).choice).toEqual(SIGNOFF);
  expect(choose({}, [{ kind: 'signoff', path: '/api/v1/stream' }, stompOffer]).choice).toEqual(SIGNOFF);
  expect(choose({}, [stompOffer, { kind: 'long-poll', path: '/api/v1/events' }]).choice).toEqual({
    kind: 'stomp',
    url: 'wss://signoff.example.com/app/stomp',
    destinations: { user: '/user/queue/claims', broadcast: '/topic/news' },
  });
});

test('stomp and long-poll by hand; signoff by hand even where STOMP is offered', () => {
  expect(choose({ transport: 'stomp' }, [stompOffer]).choice).toEqual({
    kind: 'stomp',
    url: 'wss://signoff.example.com/app/ws',
    destinations: { user: '/user/queue/events', broadcast: '/topic/announcements' },
  });
  expect(choose({ transport: 'long-poll' }).choice).toEqual({ kind: 'long-poll' });
  // auto: long-poll when it is the only transport offered.
  expect(choose({}, [{ kind: 'long-poll', path: '/api/v1/events' }]).choice).toEqual({ kind: 'long-poll' });
  expect(choose({ transport: 'signoff' }, [stompOffer]).choice).toEqual(SIGNOFF);
});

test('stompUrl points STOMP elsewhere, but never in clear text off this machine unless allowed', () => {
  expect(choose({ transport: 'stomp', stompUrl: 'wss://mq.example.com/ws' }).choice).toMatchObject({
    url: 'wss://mq.example.com/ws',
  });
  const refused = choose({ transport: 'stomp', stompUrl: 'ws://mq.example.com:15674/ws' });
  expect(refused.choice).toMatchObject({ url: 'wss://signoff.example.com/app/ws' });
  expect(refused.log.text()).toContain('ignoring the stompUrl setting');
  expect(
    choose({ transport: 'stomp', stompUrl: 'ws://mq.example.com:15674/ws', allowInsecureServer: true })
      .choice,
  ).toMatchObject({ url: 'ws://mq.example.com:15674/ws' });
});

test('/info: transports are optional; kinds this client does not know parse and are passed over, a malformed known kind is refused', () => {
  const base = {
    service: 'x',
    protocolVersion: 1,
    serverTime: '2025-01-01T00:00:00.000Z',
    heartbeatSeconds: 15,
  };
  expect(ServerInfo.parse(base).transports).toBeUndefined();
  const info = ServerInfo.parse({ ...base, transports: [{ kind: 'webtransport', path: '/wt' }, stompOffer] });
  expect(info.transports).toEqual([{ kind: 'webtransport', path: '/wt' }, stompOffer]);
  // The unknown kind comes first, yet auto picks the STOMP offer where /info places it.
  expect(choose({}, info.transports).choice).toMatchObject({
    kind: 'stomp',
    url: 'wss://signoff.example.com/app/stomp',
  });
  // A known kind must be whole (docs/protocol.md): a broken STOMP offer is the server's bug, not a guess.
  expect(ServerInfo.safeParse({ ...base, transports: [{ kind: 'stomp', path: 'no-slash' }] }).success).toBe(
    false,
  );
});

test('only auto falls back to long-poll, and only towards a server that offers it (or says nothing)', () => {
  const longPoll: Transport = { kind: 'long-poll', path: '/api/v1/events' };
  const signoff: Transport = { kind: 'signoff', path: '/api/v1/stream' };
  expect(mayFallBack(defaults, undefined)).toBe(true);
  expect(mayFallBack(defaults, [signoff, longPoll])).toBe(true);
  expect(mayFallBack(defaults, [signoff])).toBe(false);
  expect(mayFallBack({ ...defaults, transport: 'signoff' }, [signoff, longPoll])).toBe(false);
  expect(mayFallBack({ ...defaults, transport: 'stomp' }, [stompOffer, longPoll])).toBe(false);
  expect(mayFallBack(undefined, undefined)).toBe(false);
});
