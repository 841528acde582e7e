// The generated contract (docs/openapi.json, docs/stream-frames.schema.json) is current, is a valid
// OpenAPI 3.1 document, and describes what the stub really sends.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { PROTOCOL_VERSION, STREAM_SUBPROTOCOL } from '../../protocol';
import { generateContract } from '../../scripts/contract';
import { clientFor, rawRequest, sampleClaim } from '../support/stub-fixtures';
import { useInProcessStub } from '../support/use-stub';

const root = path.resolve(import.meta.dirname, '../..');
const committed = (file: string) => readFileSync(path.join(root, file), 'utf8');

type JsonObject = Record<string, unknown>;

/** A zod validator for one named schema of a generated document, `$ref`s resolved within it. */
function validatorFor(defs: JsonObject, refPrefix: string, name: string): z.ZodType {
  const rebased = JSON.parse(JSON.stringify(defs).replaceAll(`"${refPrefix}`, '"#/$defs/')) as JsonObject;
  return z.fromJSONSchema({ $ref: `#/$defs/${name}`, $defs: rebased } as Parameters<
    typeof z.fromJSONSchema
  >[0]);
}

describe('generated contract files', () => {
  it('are up to date with protocol/ (run npm run contract)', () => {
    for (const [file, content] of Object.entries(generateContract())) {
      expect(committed(file), `${file} is stale: run npm run contract`).toBe(content);
    }
  });

  it('docs/openapi.json is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(committed('docs/openapi.json')));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every path, the bearer scheme and the error body on every operation', () => {
    const doc = JSON.parse(committed('docs/openapi.json')) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: JsonObject }> }>>;
      components: { securitySchemes: JsonObject };
    };
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/announcements',
        '/claims',
        '/claims/{id}',
        '/claims/{id}/approve',
        '/claims/{id}/nudge',
        '/claims/{id}/receipts/{receiptId}',
        '/claims/{id}/reject',
        '/claims/{id}/withdraw',
        '/events',
        '/info',
        '/me',
        '/me/delegation',
        '/me/delegation/candidates',
        '/queue',
        '/session',
        '/stream',
        // ---- issue 14: transfer, add approver, return for revision ----
        '/claims/{id}/transfer',
        '/claims/{id}/add-approver',
        '/claims/{id}/return',
        '/claims/{id}/resubmit',
        '/users',
      ]
        .map((p) => `/api/v1${p}`)
        .sort(),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const errors = Object.entries(op.responses).filter(
          ([status]) => !status.startsWith('2') && status !== '101',
        );
        expect(errors.length, `${method} ${p}`).toBeGreaterThan(0);
        for (const [status, response] of errors) {
          expect(JSON.stringify(response.content), `${method} ${p} ${status}`).toContain('ErrorBody');
        }
      }
    }
  });
});

describe('the stub against the generated schemas', () => {
  const stub = useInProcessStub();
  const openapi = JSON.parse(committed('docs/openapi.json')) as { components: { schemas: JsonObject } };
  const frames = JSON.parse(committed('docs/stream-frames.schema.json')) as { $defs: JsonObject };
  const rest = (name: string) => validatorFor(openapi.components.schemas, '#/components/schemas/', name);
  const frame = (name: string) => validatorFor(frames.$defs, '#/$defs/', name);
  let token = '';
  let claimId = '';

  beforeAll(async () => {
    const alice = await clientFor(stub().url, 'alice');
    token = alice.token ?? '';
    claimId = (await alice.submitClaim(sampleClaim())).id;
  });

  it('rejects what does not match (the schemas are not vacuous)', () => {
    expect(rest('ClaimDetail').safeParse({ id: 'x' }).success).toBe(false);
    expect(rest('SubmitClaimRequest').safeParse({ ...sampleClaim(), extra: 1 }).success).toBe(false);
    expect(
      frame('HelloFrame').safeParse({
        type: 'hello',
        protocolVersion: 1,
        resume: { epoch: 'e', seq: 1, x: 1 },
      }).success,
    ).toBe(false);
  });

  it.each([
    ['/info', 'ServerInfo'],
    ['/me', 'MeResponse'],
    ['/claims?scope=mine', 'ClaimListResponse'],
    ['/claims?scope=decided', 'DecidedClaimListResponse'],
    ['/queue', 'QueueSnapshot'],
    ['/events', 'EventsPage'],
    ['/claims/EXP-999999', 'ErrorBody'],
    ['/claims?bogus=1', 'ErrorBody'],
  ])('GET %s matches %s', async (pathname, schema) => {
    const response = await rawRequest(stub().url, 'GET', pathname, { token });
    expect(rest(schema).safeParse(response.json).error).toBeUndefined();
  });

  it('a claim detail and a sample request match', async () => {
    const response = await rawRequest(stub().url, 'GET', `/claims/${claimId}`, { token });
    expect(rest('ClaimDetail').safeParse(response.json).error).toBeUndefined();
    expect(rest('SubmitClaimRequest').safeParse(sampleClaim()).error).toBeUndefined();
  });

  it('stream frames match ServerFrame', async () => {
    const ws = new WebSocket(`${stub().url.replace('http', 'ws')}/api/v1/stream`, [STREAM_SUBPROTOCOL], {
      headers: { authorization: `Bearer ${token}` },
    });
    const received: unknown[] = [];
    ws.on('message', (data) => received.push(JSON.parse(data.toString())));
    await new Promise((resolve) => ws.once('open', resolve));
    const hello = { type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: { epoch: 'other', seq: 0 } };
    expect(frame('ClientFrame').safeParse(hello).error).toBeUndefined();
    ws.send(JSON.stringify(hello));
    ws.send(JSON.stringify({ type: 'ping', id: 'p1' }));
    ws.send('{"type":"nonsense"}');
    await new Promise((resolve) => ws.once('close', resolve));
    expect(received.map((f) => (f as { type: string }).type)).toEqual(['welcome', 'reset', 'pong', 'error']);
    for (const f of received) expect(frame('ServerFrame').safeParse(f).error).toBeUndefined();
  });
});
