import type { WardflowConfig } from '../config.js';
import { param, type SqlParameters } from '../engines/sql-parameters.js';
import { ConfigError } from '../errors.js';
import type { DetectionDefinition } from './detection-definition.js';
import type { QueryParamValue } from './query-file.js';

/** Whether the config leaves a detection on (`detections.<id>.enabled`, default true). */
export function isEnabled(definition: DetectionDefinition, config: WardflowConfig): boolean {
  return config.detections[definition.id]?.enabled !== false;
}

/**
 * A detection's parameters: its declared defaults, overridden by `detections.<id>.<param>` in
 * the config. An override must name a declared parameter and have its default's type; anything
 * else is a configuration error naming the key path.
 */
export function resolveParams(
  definition: DetectionDefinition,
  config: WardflowConfig,
): Record<string, QueryParamValue> {
  const values: Record<string, QueryParamValue> = { ...definition.params };
  const overrides = config.detections[definition.id] ?? {};
  for (const [name, value] of Object.entries(overrides)) {
    if (name === 'enabled') continue;
    const path = `detections.${definition.id}.${name}`;
    const declared = definition.params[name];
    if (declared === undefined) {
      const known = Object.keys(definition.params);
      throw new ConfigError(
        path,
        `unknown parameter; ${definition.id} takes ${known.length > 0 ? known.join(', ') : 'none'} (and enabled)`,
      );
    }
    if (typeof value !== typeof declared) {
      throw new ConfigError(
        path,
        `expected a ${typeof declared} like the default ${JSON.stringify(declared)}, got ${JSON.stringify(value)}`,
      );
    }
    if (typeof declared === 'number' && Number.isInteger(declared) && !Number.isInteger(value)) {
      throw new ConfigError(path, `expected an integer, got ${JSON.stringify(value)}`);
    }
    values[name] = value;
  }
  return values;
}

/** The typed SQL parameters for one detection's declared params. */
export function toSqlParameters(
  values: Readonly<Record<string, QueryParamValue>>,
  defaults: Readonly<Record<string, QueryParamValue>>,
): SqlParameters {
  const out: Record<string, ReturnType<typeof param.integer>> = {};
  for (const [name, value] of Object.entries(values)) {
    const declared = defaults[name];
    if (typeof value === 'number') {
      out[name] =
        typeof declared === 'number' && Number.isInteger(declared)
          ? param.integer(value)
          : param.number(value);
    } else if (typeof value === 'boolean') {
      out[name] = param.boolean(value);
    } else {
      out[name] = param.string(value);
    }
  }
  return out;
}
