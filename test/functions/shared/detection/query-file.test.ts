import { describe, expect, it } from 'vitest';
import { toDetectionDefinition } from '../../../../functions/shared/detection/detection-definition.js';
import { parseQueryFile } from '../../../../functions/shared/detection/query-file.js';

const HEADER = `-- id: demo-detection
-- title: A detection for tests
-- severity: medium
-- mitre: T1046, T1021.002
-- hipaa: 164.308(a)(1)(ii)(D), 164.312(b)
-- params: min_hosts=20, ratio=0.5, strict=true, mode=fast
-- window: 1h
-- lookback: 7d
-- finding: {src_ip} did a thing
-- summary: {src_ip} did a thing {n} times.
-- based-on: a published rule,
--   continued on the next line
-- description: Counts things.
-- runbook: Look at it.
`;

describe('Function: parseQueryFile', () => {
  it('reads keys, continuation lines and typed parameter defaults', () => {
    // Act
    const file = parseQueryFile('q.sql', `${HEADER}SELECT 1`);

    // Assess
    expect(file.sql).toBe('SELECT 1');
    expect(file.header.fields['based-on']).toBe('a published rule, continued on the next line');
    expect(file.header.params).toEqual({ min_hosts: 20, ratio: 0.5, strict: true, mode: 'fast' });
  });

  it.each([
    ['-- title: t\nSELECT 1', 'q.sql: header lacks "id"'],
    ['-- id: x\nSELECT 1', 'q.sql: header lacks "title"'],
    ['-- id: x\n-- title: t\n', 'q.sql: no SQL after the header'],
    ['-- id: x\n-- id: y\n-- title: t\nSELECT 1', 'q.sql: header key "id" appears twice'],
    [
      '-- id: x\n-- title: t\n-- params: 20\nSELECT 1',
      'q.sql: params: expected "name=default", got "20"',
    ],
    [
      '-- id: x\n-- title: t\n-- not a key line\nSELECT 1',
      'q.sql: line 3: expected "-- key: value", got "-- not a key line"',
    ],
  ])('rejects %j', (text, message) => {
    expect(() => parseQueryFile('q.sql', text)).toThrow(message);
  });
});

describe('Function: toDetectionDefinition', () => {
  it('validates the header into a definition', () => {
    const definition = toDetectionDefinition(
      parseQueryFile('demo-detection.sql', `${HEADER}SELECT 1`),
    );
    expect(definition).toMatchObject({
      id: 'demo-detection',
      severity: 'medium',
      mitre: ['T1046', 'T1021.002'],
      hipaa: ['164.308(a)(1)(ii)(D)', '164.312(b)'],
      windowMs: 3_600_000,
      lookbackMs: 7 * 86_400_000,
      scorer: null,
    });
  });

  it.each([
    [
      HEADER.replace('severity: medium', 'severity: urgent'),
      /severity: expected one of informational, low, medium, high, critical, got "urgent"/,
    ],
    [
      HEADER.replace('mitre: T1046, T1021.002', 'mitre: TA0007'),
      /mitre: expected ATT&CK ids like T1046 or T1021.002, got "TA0007"/,
    ],
    [
      HEADER.replace('hipaa: 164.308(a)(1)(ii)(D), 164.312(b)', 'hipaa: section 5'),
      /hipaa: expected citations like 164.312\(b\), got "section 5"/,
    ],
    [
      HEADER.replace('window: 1h', 'window: hourly'),
      /window: expected a duration like 15m, 1h or 7d, got "hourly"/,
    ],
    [HEADER.replace('-- runbook: Look at it.\n', ''), /header lacks "runbook"/],
    [`${HEADER}-- colour: blue\n`, /unknown header key "colour"/],
    [`${HEADER}-- scorer: nope\n`, /scorer: no scorer named "nope"/],
  ])('rejects a bad header (%#)', (text, message) => {
    expect(() =>
      toDetectionDefinition(parseQueryFile('demo-detection.sql', `${text}SELECT 1`)),
    ).toThrow(message);
  });
});
