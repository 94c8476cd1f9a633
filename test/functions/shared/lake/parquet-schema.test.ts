import { describe, expect, it } from 'vitest';
import { FLOW_COLUMNS } from '../../../../functions/shared/flow-record.js';
import {
  ConvertedType,
  PhysicalType,
  Repetition,
} from '../../../../functions/shared/lake/parquet-format.js';
import {
  assertParquetColumns,
  toSchemaColumn,
} from '../../../../functions/shared/lake/parquet-schema.js';

describe('Function: toSchemaColumn', () => {
  it('maps TIMESTAMP_MILLIS to INT64 with the UTC millisecond timestamp annotations', () => {
    // Act & Assess
    expect(toSchemaColumn({ name: 't', type: 'TIMESTAMP_MILLIS', nullable: false })).toEqual({
      name: 't',
      type: PhysicalType.INT64,
      repetition: Repetition.REQUIRED,
      convertedType: ConvertedType.TIMESTAMP_MILLIS,
      logicalType: { kind: 'TIMESTAMP_MILLIS_UTC' },
    });
  });

  it('maps STRING to UTF-8 BYTE_ARRAY and nullable columns to OPTIONAL', () => {
    // Act & Assess
    expect(toSchemaColumn({ name: 's', type: 'STRING', nullable: true })).toEqual({
      name: 's',
      type: PhysicalType.BYTE_ARRAY,
      repetition: Repetition.OPTIONAL,
      convertedType: ConvertedType.UTF8,
      logicalType: { kind: 'STRING' },
    });
  });

  it('leaves INT32 and INT64 unannotated', () => {
    // Act & Assess
    expect(toSchemaColumn({ name: 'p', type: 'INT32', nullable: true })).toEqual({
      name: 'p',
      type: PhysicalType.INT32,
      repetition: Repetition.OPTIONAL,
    });
  });
});

describe('Function: assertParquetColumns', () => {
  it('accepts FLOW_COLUMNS', () => {
    // Act & Assess
    expect(() => assertParquetColumns(FLOW_COLUMNS)).not.toThrow();
  });

  it('rejects an empty name', () => {
    // Act & Assess
    expect(() => assertParquetColumns([{ name: '', type: 'INT32', nullable: false }])).toThrow(
      'columns: expected unique non-empty names, got ""',
    );
  });
});
