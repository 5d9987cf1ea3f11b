import { TOPICS, type TopicKey, type TopicMessage } from '@mirrorwatch/schemas';

export type Decoded<K extends TopicKey> =
  | { ok: true; value: TopicMessage<K> }
  | { ok: false; code: 'empty_value' | 'invalid_json' | 'schema_mismatch'; reason: string };

/** Parses and validates one raw message against its topic's schema; says why when it cannot. */
export function decodeMessage<K extends TopicKey>(topic: K, raw: Buffer | null): Decoded<K> {
  if (raw === null || raw.length === 0)
    return { ok: false, code: 'empty_value', reason: 'message has no value' };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return { ok: false, code: 'invalid_json', reason: `value is not JSON: ${(error as Error).message}` };
  }
  const parsed = TOPICS[topic].schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data as TopicMessage<K> };
  const reason = parsed.error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, code: 'schema_mismatch', reason };
}
