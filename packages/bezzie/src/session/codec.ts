import { openSync } from '../platform/crypto.ts'
import { open, seal } from './crypto.ts'
import { parseRecord, type SessionRecord, serializeRecord } from './record.ts'
import { cachedRecord, type KnownSession, rememberRecord } from './record-cache.ts'

/**
 * How a session record becomes a stored value and back: JSON, sealed with the first of `secrets`
 * when any are configured (the store key is bound in as associated data, so a value moved to
 * another key does not open).
 */
export async function encodeRecord(
  secrets: string[],
  key: string,
  record: SessionRecord,
): Promise<string> {
  const json = serializeRecord(record)
  return secrets.length ? seal(secrets, 'session', json, key) : json
}

/**
 * The record in `raw` (stored under `key`), decrypted and parsed; `null` when it does not open or
 * parse. A read by session id (`id`, with what the isolate remembers of it, `known`) goes through
 * the decoded-record cache: synchronous when this exact value was decoded before with the same
 * secrets.
 */
export function decodeRecord(
  secrets: string[],
  key: string,
  raw: string,
  id?: string,
  known?: KnownSession,
): SessionRecord | null | Promise<SessionRecord | null> {
  const hit = cachedRecord(known, raw, secrets)
  if (hit) return hit
  const remember = (json: string | null) => {
    const record = json === null ? null : parseRecord(json)
    return record && id !== undefined
      ? rememberRecord(id, key, known, raw, secrets, record)
      : record
  }
  if (!secrets.length) return remember(raw)
  // On Node, decrypt on this thread instead of through Web Crypto's thread pool (open-sync.ts).
  const opened = openSync(secrets, 'session', raw, key)
  return opened === undefined ? open(secrets, 'session', raw, key).then(remember) : remember(opened)
}

/** A value beside a session (a resource token), sealed like the session when secrets are set. */
export function sealValue(secrets: string[], key: string, json: string): Promise<string> | string {
  return secrets.length ? seal(secrets, 'session', json, key) : json
}

/** The JSON in a value written by {@link sealValue}; `null` when it does not open. */
export function openValue(
  secrets: string[],
  key: string,
  raw: string,
): Promise<string | null> | string {
  return secrets.length ? open(secrets, 'session', raw, key) : raw
}
