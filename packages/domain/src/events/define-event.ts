import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** What travels on a topic: an envelope with a unique id (consumers de-duplicate on it) and typed data. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  occurredAt: string;
  data: TData;
}

export interface EventDefinition<TType extends string, TSchema extends z.ZodType> {
  type: TType;
  topic: string;
  schema: z.ZodType<DomainEvent<TType, z.infer<TSchema>>>;
  create(data: z.infer<TSchema>, options?: { id?: string; occurredAt?: Date }): DomainEvent<TType, z.infer<TSchema>>;
  /** Validates an envelope received from a transport; throws a ZodError on a malformed event. */
  parse(value: unknown): DomainEvent<TType, z.infer<TSchema>>;
}

/** Event types are named `<entity>.<past-tense>` and defined once, with their schema and topic. */
export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  type: TType,
  topic: string,
  data: TSchema,
): EventDefinition<TType, TSchema> {
  const schema = z.object({
    id: z.string().min(1),
    type: z.literal(type),
    occurredAt: z.string(),
    data,
  }) as unknown as z.ZodType<DomainEvent<TType, z.infer<TSchema>>>;
  return {
    type,
    topic,
    schema,
    create: (value, options) => ({
      // A deterministic id (derived from what happened) makes a re-published event a duplicate, not a new one.
      id: options?.id ?? randomUUID(),
      type,
      occurredAt: (options?.occurredAt ?? new Date()).toISOString(),
      data: value,
    }),
    parse: (value) => schema.parse(value),
  };
}
