import type { Message } from './packet-exchanges.js';
import { addressBytes } from './pcap-writer.js';

/**
 * Application payloads for the capture, shaped like the real protocols so that packet and byte
 * counts look like a hospital's: DNS, TLS 1.3, HL7 v2 over MLLP, DICOM upper-layer PDUs; and the
 * seeded generator that varies their sizes.
 */

/** A DNS query for an A (IPv4 answer) or AAAA (IPv6 answer) record, and the reply carrying it. */
export function dnsExchange(
  id: number,
  name: string,
  answer: string,
): { readonly query: Uint8Array; readonly reply: Uint8Array } {
  const rdata = addressBytes(answer);
  const qtype = rdata.length === 4 ? 1 : 28;
  const question = [...name.split('.').flatMap((label) => [label.length, ...bytes(label)]), 0];
  // Header: id, flags (recursion desired), one question, no answers; then the question.
  const header = [id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
  const query = [...header, ...question, 0, qtype, 0, 1];
  const reply = [...query];
  reply[2] = 0x81;
  reply[3] = 0x80;
  reply[7] = 1; // one answer: pointer to the question name, type, class IN, TTL 300, the address
  reply.push(0xc0, 12, 0, qtype, 0, 1, 0, 0, 1, 44, 0, rdata.length, ...rdata);
  return { query: Uint8Array.from(query), reply: Uint8Array.from(reply) };
}

/** A TLS 1.3 session's shape: ClientHello, server flight, then request/response pairs. */
export function tlsSession(requests: number, random: () => number): Message[] {
  const blob = (type: number, size: number) => {
    const data = new Uint8Array(size);
    data.set([type, 0x03, 0x03, (size - 5) >> 8, (size - 5) & 0xff]);
    for (let i = 5; i < size; i++) data[i] = Math.floor(random() * 256);
    return data;
  };
  const messages: Message[] = [
    { from: 'client', data: blob(0x16, 517) },
    { from: 'server', data: blob(0x16, 2_900 + Math.floor(random() * 1_500)) },
    { from: 'client', data: blob(0x14, 80) },
  ];
  for (let i = 0; i < requests; i++) {
    messages.push({ from: 'client', data: blob(0x17, 300 + Math.floor(random() * 600)) });
    messages.push({ from: 'server', data: blob(0x17, 1_200 + Math.floor(random() * 20_000)) });
  }
  return messages;
}

/** An HL7 v2.5 ORU^R01 lab result (a blood count) for message number `i`, segments ended by CR. */
export function hl7Result(i: number): string {
  return [
    `MSH|^~\\&|ANALYZER|LAB|IE|HOSP|20261102090${i}00||ORU^R01|MSG${i}|P|2.5`,
    `PID|1||MRN0000${i}^^^HOSP^MR||DOE^JANE||19700101|F`,
    `OBR|1|ORD${i}||CBC^Complete blood count`,
    'OBX|1|NM|718-7^Hemoglobin^LN||13.5|g/dL|12.0-16.0|N|||F',
    'OBX|2|NM|6690-2^WBC^LN||7.1|10*3/uL|4.0-11.0|N|||F',
  ].join('\r');
}

/** HL7 MLLP framing: VT, the message, FS CR. */
export function mllp(message: string): Uint8Array {
  return Uint8Array.from([0x0b, ...bytes(message), 0x1c, 0x0d]);
}

/** A DICOM upper-layer PDU: type, reserved, 4-byte length, then `length` bytes of body. */
export function dicomPdu(type: number, length: number): Uint8Array {
  const pdu = new Uint8Array(6 + length);
  new DataView(pdu.buffer).setUint32(2, length);
  pdu[0] = type;
  for (let i = 6; i < pdu.length; i++) pdu[i] = (i * 37) & 0xff;
  if (type === 0x01) pdu.set(bytes('1.2.840.10008.3.1.1.1'), 80);
  return pdu;
}

function bytes(text: string): number[] {
  return [...Buffer.from(text, 'latin1')];
}

/** A small seeded PRNG (mulberry32), so the capture is the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
