/** What the S3 key of a VPC flow log object says about where its records come from. */
export interface VpcObjectKeyInfo {
  readonly accountId: string | null;
  readonly region: string | null;
  /** Flow log id from the file name (`fl-…`), when the name follows AWS's pattern. */
  readonly flowLogId: string | null;
}

// AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD[/HH]/…
const DEFAULT_LAYOUT = /(?:^|\/)AWSLogs\/(\d{12})\/vpcflowlogs\/([a-z0-9-]+)\//;
// AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=…
const HIVE_LAYOUT =
  /(?:^|\/)AWSLogs\/aws-account-id=(\d{12})\/aws-service=vpcflowlogs\/aws-region=([a-z0-9-]+)\//;
// <account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz
const FILE_NAME = /(?:^|\/)(\d{12})_vpcflowlogs_([a-z0-9-]+)_(fl-[0-9a-f]+)_\d{8}T\d{4}Z_/;

/**
 * Reads account, region and flow log id from a VPC flow log object key in any of AWS's four
 * layouts (default, Hive-compatible, hourly, Hive + hourly) or from the file name alone.
 * Unknown keys give nulls: the record's own fields are then the only source.
 */
export function parseVpcObjectKey(key: string): VpcObjectKeyInfo {
  const normalized = key.replaceAll('\\', '/');
  const layout = DEFAULT_LAYOUT.exec(normalized) ?? HIVE_LAYOUT.exec(normalized);
  const file = FILE_NAME.exec(normalized);
  return {
    accountId: layout?.[1] ?? file?.[1] ?? null,
    region: layout?.[2] ?? file?.[2] ?? null,
    flowLogId: file?.[3] ?? null,
  };
}
