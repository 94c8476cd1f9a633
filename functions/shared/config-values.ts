/**
 * Small helpers that config parsers share for checking values and naming where they sit: the
 * key paths of ConfigError messages (`zones[2].cidrs[0]`) and the "got …" part of them.
 */

/** True unless the value is absent (`undefined`, or YAML's empty `null`). */
export function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Describes a value's type and, for scalars, the value, for "got …" in messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)}`;
  }
  return `the ${typeof value} ${String(value)}`;
}

/** The path of a key below `path`; a key that is not a plain name is quoted in brackets. */
export function child(path: string, key: string): string {
  const segment = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (segment !== key) return `${path}[${segment}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** The path of a list entry. */
export function at(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Freezes a parsed value and everything inside it, so defaults cannot be changed by accident. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
