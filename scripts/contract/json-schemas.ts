// zod schemas of the protocol → named JSON Schemas (draft 2020-12) that refer to each other by `$ref`.
import { z } from 'zod';
import { BroadcastEvent, UserEvent } from '../../protocol/events';

export type JsonObject = Record<string, unknown>;
export type NamedSchemas = Record<string, z.ZodType>;

/**
 * Request shapes are described as a client must send them (`io: 'input'`: a field with a default is
 * optional); response shapes as a server sends them (`output`). Response objects stay open (no
 * `additionalProperties: false` unless the schema is strict), because clients must ignore fields a
 * server adds within a version; strict request objects keep `additionalProperties: false`.
 */
export function jsonSchemas(schemas: NamedSchemas, io: 'input' | 'output', refPrefix: string): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    uri: (id) => `${refPrefix}${id}`,
    unrepresentable: 'throw',
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def;
      if (def.type === 'object' && (def as { catchall?: unknown }).catchall === undefined) {
        delete jsonSchema.additionalProperties;
      }
    },
  });
  const out: JsonObject = {};
  for (const [id, schema] of Object.entries(generated.schemas)) {
    // Each entry is embedded in a bigger document, where a per-entry `$schema`/`$id` does not belong.
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonObject;
    out[id] = rest;
  }
  return out;
}

/** One schema on its own (a query parameter, a path parameter), without the `$schema` key. */
export function inlineSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'throw',
  }) as JsonObject;
  return rest;
}

/**
 * Every event schema under the name protocol/events.ts gives it ('claim.assigned' → ClaimAssignedEvent),
 * then their union UserEvent: read from UserEvent itself, so a new event type is in both generated
 * files without being listed anywhere else.
 */
export function eventSchemas(): NamedSchemas {
  const named: NamedSchemas = {};
  for (const schema of UserEvent.options) {
    const words = schema.shape.type.value.split('.').map((word) => word[0]!.toUpperCase() + word.slice(1));
    named[`${words.join('')}Event`] = schema;
  }
  return { ...named, UserEvent, BroadcastEvent };
}
