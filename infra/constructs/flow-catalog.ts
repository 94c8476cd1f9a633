import { Aws } from 'aws-cdk-lib';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { TableDdl } from '../table-ddl.js';

/** Properties of {@link FlowCatalog}. */
export interface FlowCatalogProps {
  /** Name of the Glue database. */
  readonly databaseName: string;
  /** The tables, as parsed from `queries/tables/*.sql`. */
  readonly tables: readonly TableDdl[];
  /**
   * The bucket holding each top-level prefix a table's `LOCATION` can start with after
   * `{{lake_location}}` (e.g. `flows/` → the lake bucket, `findings/` → the findings bucket).
   */
  readonly locations: Readonly<Record<string, IBucket>>;
}

/** The placeholder `queries/tables/*.sql` use for the bucket URI. */
export const LAKE_LOCATION = '{{lake_location}}';

/**
 * The Glue database and one table per DDL file in `queries/tables/`, with the DDL's columns,
 * partition keys, storage and table properties (partition projection). Partitions are computed
 * by Athena from the projection properties: no crawlers, no partition-loading Lambdas.
 */
export class FlowCatalog extends Construct {
  /** The database. */
  public readonly database: CfnDatabase;
  /** Name of the database. */
  public readonly databaseName: string;
  /** Tables by name. */
  public readonly tables: Readonly<Record<string, CfnTable>>;

  public constructor(scope: Construct, id: string, props: FlowCatalogProps) {
    super(scope, id);
    this.databaseName = props.databaseName;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: props.databaseName,
        description: 'wardflow: normalized flows, baselines, findings and evidence',
      },
    });
    const tables: Record<string, CfnTable> = {};
    for (const ddl of props.tables) {
      const bucketUri = `s3://${locationBucket(ddl, props.locations).bucketName}/`;
      const substitute = (text: string) => text.replaceAll(LAKE_LOCATION, bucketUri);
      const parameters: Record<string, string> = {
        EXTERNAL: 'TRUE',
        classification: ddl.storage.classification,
      };
      for (const [key, value] of Object.entries(ddl.properties))
        parameters[key] = substitute(value);
      const table = new CfnTable(this, pascalCase(ddl.name), {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: props.databaseName,
        tableInput: {
          name: ddl.name,
          description: `From ${ddl.path.slice(ddl.path.lastIndexOf('queries/'))}`,
          tableType: 'EXTERNAL_TABLE',
          parameters,
          partitionKeys: ddl.partitionKeys.map((c) => ({ name: c.name, type: c.type })),
          storageDescriptor: {
            columns: ddl.columns.map((c) => ({ name: c.name, type: c.type })),
            location: substitute(ddl.location),
            inputFormat: ddl.storage.inputFormat,
            outputFormat: ddl.storage.outputFormat,
            serdeInfo: { serializationLibrary: ddl.storage.serde },
          },
        },
      });
      table.node.addDependency(this.database);
      tables[ddl.name] = table;
    }
    this.tables = tables;
  }
}

/** The bucket of a table's location: `{{lake_location}}<prefix>/…` → `locations['<prefix>/']`. */
function locationBucket(ddl: TableDdl, locations: Readonly<Record<string, IBucket>>): IBucket {
  const rest = ddl.location.startsWith(LAKE_LOCATION)
    ? ddl.location.slice(LAKE_LOCATION.length)
    : null;
  const prefix = rest === null ? undefined : `${rest.split('/')[0]}/`;
  const bucket = prefix === undefined ? undefined : locations[prefix];
  if (bucket === undefined) {
    throw new Error(
      `${ddl.path}: LOCATION ${JSON.stringify(ddl.location)}: expected ${LAKE_LOCATION} followed by one of ${Object.keys(locations).join(', ')}`,
    );
  }
  return bucket;
}

function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
