// The WebSocket half of the contract: one JSON Schema document whose `$defs` hold every client and
// server frame and every event they carry.
import {
  ClientFrame,
  ErrorFrame,
  EventFrame,
  HelloFrame,
  PingFrame,
  PolicyFlag,
  PongFrame,
  PROTOCOL_VERSION,
  ResetFrame,
  ServerFrame,
  WelcomeFrame,
} from '../../protocol';
import { eventSchemas, type JsonObject, jsonSchemas } from './json-schemas';

const REF = '#/$defs/';

export function buildStreamFrames(): JsonObject {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `Signoff stream frames, protocol version ${PROTOCOL_VERSION}`,
    description:
      'Generated from protocol/stream.ts and protocol/events.ts by `npm run contract`; do not edit. A client ' +
      'sends ClientFrame, a server sends ServerFrame; the rules around them are in docs/protocol.md.',
    anyOf: [{ $ref: `${REF}ClientFrame` }, { $ref: `${REF}ServerFrame` }],
    $defs: {
      ...jsonSchemas({ HelloFrame, PingFrame, ClientFrame }, 'input', REF),
      ...jsonSchemas(
        {
          WelcomeFrame,
          EventFrame,
          ResetFrame,
          PongFrame,
          ErrorFrame,
          ServerFrame,
          PolicyFlag,
          ...eventSchemas(),
        },
        'output',
        REF,
      ),
    },
  };
}
