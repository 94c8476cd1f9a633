import { WardflowError } from '../errors.js';

/** A Step Functions task received input it cannot act on. */
export class StepInputError extends WardflowError {
  public constructor(message: string) {
    super(message);
    this.name = 'StepInputError';
  }
}

/** A JSON object, as a task's input arrives. */
export type StepInput = Readonly<Record<string, unknown>>;

/** The input as an object, or a typed error saying what arrived instead. */
export function inputObject(raw: unknown, task: string): StepInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new StepInputError(
      `${task} input: expected a JSON object, got ${Array.isArray(raw) ? 'an array' : JSON.stringify(raw)}`,
    );
  }
  return raw as StepInput;
}

/** A non-empty string field. */
export function stringField(input: StepInput, name: string, task: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new StepInputError(
      `${task} input ${name}: expected a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** An ISO 8601 time field. */
export function timeField(input: StepInput, name: string, task: string): Date {
  const text = stringField(input, name, task);
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new StepInputError(
      `${task} input ${name}: expected an ISO 8601 time such as 2026-11-29T10:00:00Z, got ${JSON.stringify(text)}`,
    );
  }
  return new Date(ms);
}

/** A finite number field at least `min`; `undefined` when optional and absent. */
export function numberField(
  input: StepInput,
  name: string,
  task: string,
  min: number,
): number | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new StepInputError(
      `${task} input ${name}: expected a number of at least ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
