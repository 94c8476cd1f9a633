import { physicalTypeOf } from './column-chunk-writer.js';
import { ParquetEncodeError } from './parquet-encode-error.js';
import { ConvertedType, Repetition, type SchemaColumn } from './parquet-format.js';
import type { ParquetColumnSpec } from './parquet-writer.js';

const COLUMN_TYPES = new Set(['TIMESTAMP_MILLIS', 'STRING', 'INT32', 'INT64']);

/**
 * Checks a flat schema: at least one column, unique non-empty names, known types.
 *
 * @throws {ParquetEncodeError} naming the offending column
 */
export function assertParquetColumns(columns: readonly ParquetColumnSpec[]): void {
  if (columns.length === 0) {
    throw new ParquetEncodeError('columns: expected at least one column, got none');
  }
  const seen = new Set<string>();
  for (const column of columns) {
    if (typeof column.name !== 'string' || column.name === '' || seen.has(column.name)) {
      throw new ParquetEncodeError(
        `columns: expected unique non-empty names, got ${JSON.stringify(column.name)}`,
        { column: column.name },
      );
    }
    seen.add(column.name);
    if (!COLUMN_TYPES.has(column.type)) {
      throw new ParquetEncodeError(
        `column '${column.name}': expected type TIMESTAMP_MILLIS, STRING, INT32 or INT64, got ${JSON.stringify(column.type)}`,
        { column: column.name },
      );
    }
  }
}

/**
 * The footer's description of a column: REQUIRED or OPTIONAL; STRING as BYTE_ARRAY with UTF8
 * and the STRING logical type; TIMESTAMP_MILLIS as INT64 with the TIMESTAMP_MILLIS converted
 * type and TIMESTAMP(isAdjustedToUTC = true, MILLIS); INT32 and INT64 plain.
 */
export function toSchemaColumn(column: ParquetColumnSpec): SchemaColumn {
  const base = {
    name: column.name,
    type: physicalTypeOf(column.type),
    repetition: column.nullable ? Repetition.OPTIONAL : Repetition.REQUIRED,
  };
  if (column.type === 'STRING') {
    return { ...base, convertedType: ConvertedType.UTF8, logicalType: { kind: 'STRING' } };
  }
  if (column.type === 'TIMESTAMP_MILLIS') {
    return {
      ...base,
      convertedType: ConvertedType.TIMESTAMP_MILLIS,
      logicalType: { kind: 'TIMESTAMP_MILLIS_UTC' },
    };
  }
  return base;
}
