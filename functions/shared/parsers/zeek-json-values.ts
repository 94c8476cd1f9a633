import { badField, readCount, readPort } from './field-values.js';

/**
 * Readers for the values of a parsed Zeek JSON record. Zeek writes counts and ports as JSON
 * numbers; some shippers quote every value, so numeric strings are accepted too. `undefined` (key
 * omitted, as Zeek does for unset fields) and `null` (`json_include_unset_fields`) both mean unset.
 */

/** A present value that is not acceptable (distinct from null, which means unset). */
export const INVALID_JSON_VALUE = -1;

/** A JSON object as `JSON.parse` returns it. */
export type JsonRecord = Readonly<Record<string, unknown>>;

/**
 * Reads one of the `id` fields in whichever key style the record uses: dotted (`id.orig_h`, Zeek's
 * own), underscore (`id_orig_h`, Kafka/RockNSM pipelines) or nested (`"id": {"orig_h": …}`).
 */
export function readZeekJsonId(
  record: JsonRecord,
  nested: JsonRecord | undefined,
  dotted: string,
  underscore: string,
  key: string,
): unknown {
  return record[dotted] ?? record[underscore] ?? nested?.[key];
}

/** The nested `id` object of a record, if it has one. */
export function nestedZeekJsonId(record: JsonRecord): JsonRecord | undefined {
  const id = record.id;
  return typeof id === 'object' && id !== null && !Array.isArray(id)
    ? (id as JsonRecord)
    : undefined;
}

/** Reads a count: null when unset, INVALID_JSON_VALUE when not a non-negative integer. */
export function readJsonCount(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : INVALID_JSON_VALUE;
  }
  if (typeof value === 'string') return readCount(value) ?? INVALID_JSON_VALUE;
  return INVALID_JSON_VALUE;
}

/** Reads a port (0–65535) given as a number or a numeric string. */
export function readJsonPort(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= 65535 ? value : undefined;
  }
  return typeof value === 'string' ? readPort(value) : undefined;
}

/** A quarantine reason for a JSON value, saying when the key is missing altogether. */
export function badJsonValue(field: string, expected: string, value: unknown): string {
  if (value === undefined) return `${field}: expected ${expected}, got no such key`;
  return badField(field, expected, typeof value === 'string' ? value : JSON.stringify(value));
}
