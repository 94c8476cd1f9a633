import { copyWords } from '../lake/byte-words.js';
import type { ScannedFlow } from './line-parser.js';
import type { VpcFieldScan } from './vpc-field-scan.js';

/** A string as UTF-8 bytes, with its UTF-16 length (what the lake's page estimates count). */
export interface EncodedText {
  readonly bytes: Uint8Array;
  readonly utf16Length: number;
}

/** Encodes a string once, for sensors assembled byte by byte record after record. */
export function encodeText(text: string): EncodedText {
  return { bytes: new Uint8Array(Buffer.from(text, 'utf8')), utf16Length: text.length };
}

/** Empties the sensor of `flow`. */
export function clearSensor(flow: ScannedFlow): void {
  flow.sensorLength = 0;
  flow.sensorUtf16 = 0;
}

/** Appends field `field` of the scanned line (ASCII; `line` is a view of it) to the sensor. */
export function appendSensorField(
  flow: ScannedFlow,
  line: DataView,
  scan: VpcFieldScan,
  field: number,
): void {
  const start = scan.starts[field] as number;
  const length = (scan.ends[field] as number) - start;
  const at = room(flow, length);
  copyWords(line, start, flow.sensorView, at, length);
  flow.sensorLength = at + length;
  flow.sensorUtf16 += length;
}

/** Appends an encoded string to the sensor of `flow`. */
export function appendSensorText(flow: ScannedFlow, text: EncodedText): void {
  const at = room(flow, text.bytes.length);
  flow.sensor.set(text.bytes, at);
  flow.sensorLength = at + text.bytes.length;
  flow.sensorUtf16 += text.utf16Length;
}

/** Appends one ASCII character (a separator) to the sensor of `flow`. */
export function appendSensorByte(flow: ScannedFlow, byte: number): void {
  const at = room(flow, 1);
  flow.sensor[at] = byte;
  flow.sensorLength = at + 1;
  flow.sensorUtf16 += 1;
}

/** Grows the sensor buffer for `extra` more bytes; returns where they go. */
function room(flow: ScannedFlow, extra: number): number {
  const at = flow.sensorLength;
  if (at + extra > flow.sensor.length) {
    const grown = new Uint8Array(Math.max(flow.sensor.length * 2, at + extra));
    grown.set(flow.sensor.subarray(0, at));
    flow.sensor = grown;
    flow.sensorView = new DataView(grown.buffer);
  }
  return at;
}
