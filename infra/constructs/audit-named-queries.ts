import { CfnNamedQuery, type CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { Construct } from 'constructs';
import type { WardflowConfig } from '../../functions/shared/config.js';
import type { QueryFile } from '../../functions/shared/detection/query-file.js';
import { namedQueryDescription, renderNamedQuerySql } from '../audit-query-sql.js';

/** Properties of {@link AuditNamedQueries}. */
export interface AuditNamedQueriesProps {
  /** The auditors' workgroup the queries are saved in. */
  readonly workGroup: CfnWorkGroup;
  /** Glue database the queries run against. */
  readonly databaseName: string;
  /** The files of `queries/audit/`. */
  readonly queries: readonly QueryFile[];
  /** The configuration whose zones, policy and threat intelligence are bound into the SQL. */
  readonly config: WardflowConfig;
}

/**
 * One Athena named query per file in `queries/audit/`, saved in the audit workgroup and named
 * by the file's id: the reports an auditor runs (activity review, ePHI access, segmentation
 * matrix, findings by severity, host reach), with the period as execution parameters.
 */
export class AuditNamedQueries extends Construct {
  /** Named queries by query id. */
  public readonly namedQueries: Readonly<Record<string, CfnNamedQuery>>;

  public constructor(scope: Construct, id: string, props: AuditNamedQueriesProps) {
    super(scope, id);
    const queries: Record<string, CfnNamedQuery> = {};
    for (const file of props.queries) {
      const rendered = renderNamedQuerySql(file, props.config);
      queries[file.header.id] = new CfnNamedQuery(this, file.header.id, {
        name: file.header.id,
        description: namedQueryDescription(file, rendered),
        database: props.databaseName,
        queryString: rendered.sql,
        workGroup: props.workGroup.ref,
      });
    }
    this.namedQueries = queries;
  }
}
