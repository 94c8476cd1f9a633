import {
  FlowLog,
  FlowLogDestination,
  FlowLogFileFormat,
  FlowLogMaxAggregationInterval,
  FlowLogResourceType,
  FlowLogTrafficType,
  type IVpc,
  LogFormat,
} from 'aws-cdk-lib/aws-ec2';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { FlowLogSettings } from '../../functions/shared/deployment-config.js';

/**
 * The custom format of the flow logs wardflow creates: the default (v2) fields and the v3–v5
 * fields the detections and the zone enrichment use — VPC, subnet and instance ids, TCP flags,
 * packet-level addresses (the real endpoints behind NAT), region and zone, AWS service names,
 * flow direction and traffic path. The VPC parser maps fields by the header, so order is free.
 */
export const FLOW_LOG_FIELDS: readonly LogFormat[] = [
  // v2
  LogFormat.VERSION,
  LogFormat.ACCOUNT_ID,
  LogFormat.INTERFACE_ID,
  LogFormat.SRC_ADDR,
  LogFormat.DST_ADDR,
  LogFormat.SRC_PORT,
  LogFormat.DST_PORT,
  LogFormat.PROTOCOL,
  LogFormat.PACKETS,
  LogFormat.BYTES,
  LogFormat.START_TIMESTAMP,
  LogFormat.END_TIMESTAMP,
  LogFormat.ACTION,
  LogFormat.LOG_STATUS,
  // v3
  LogFormat.VPC_ID,
  LogFormat.SUBNET_ID,
  LogFormat.INSTANCE_ID,
  LogFormat.TCP_FLAGS,
  LogFormat.TRAFFIC_TYPE,
  LogFormat.PKT_SRC_ADDR,
  LogFormat.PKT_DST_ADDR,
  // v4
  LogFormat.REGION,
  LogFormat.AZ_ID,
  LogFormat.SUBLOCATION_TYPE,
  LogFormat.SUBLOCATION_ID,
  // v5
  LogFormat.PKT_SRC_AWS_SERVICE,
  LogFormat.PKT_DST_AWS_SERVICE,
  LogFormat.FLOW_DIRECTION,
  LogFormat.TRAFFIC_PATH,
];

/** Properties of {@link FlowLogSources}. */
export interface FlowLogSourcesProps {
  /** The landing bucket the flow logs are delivered to. */
  readonly landingBucket: IBucket;
  /** VPCs (or VPC ids) by a stable construct id (the VPC id for configured ones). */
  readonly vpcs: Readonly<Record<string, IVpc | string>>;
  /** Aggregation interval and traffic type (`deployment.flow_logs`). */
  readonly settings: FlowLogSettings;
}

/**
 * VPC flow logs for the listed VPCs, delivered straight to the landing bucket as gzipped text
 * with Hive-compatible, per-hour key prefixes
 * (`AWSLogs/aws-account-id=…/aws-service=vpcflowlogs/aws-region=…/year=…/month=…/day=…/hour=…/`),
 * in the custom format {@link FLOW_LOG_FIELDS}. Their arrival triggers the ingest pipeline like
 * any other landed object.
 */
export class FlowLogSources extends Construct {
  /** Flow logs by construct id. */
  public readonly flowLogs: Readonly<Record<string, FlowLog>>;

  public constructor(scope: Construct, id: string, props: FlowLogSourcesProps) {
    super(scope, id);
    const flowLogs: Record<string, FlowLog> = {};
    for (const [vpcKey, vpc] of Object.entries(props.vpcs)) {
      flowLogs[vpcKey] = new FlowLog(this, vpcKey, {
        resourceType:
          typeof vpc === 'string' ? new VpcIdResource(vpc) : FlowLogResourceType.fromVpc(vpc),
        trafficType: FlowLogTrafficType[props.settings.traffic_type],
        destination: FlowLogDestination.toS3(props.landingBucket, undefined, {
          fileFormat: FlowLogFileFormat.PLAIN_TEXT,
          hiveCompatiblePartitions: true,
          perHourPartition: true,
        }),
        logFormat: [...FLOW_LOG_FIELDS],
        maxAggregationInterval:
          props.settings.aggregation_seconds === 60
            ? FlowLogMaxAggregationInterval.ONE_MINUTE
            : FlowLogMaxAggregationInterval.TEN_MINUTES,
      });
    }
    this.flowLogs = flowLogs;
  }
}

/** A VPC known only by its id (a VPC of another team or stack, listed in the config). */
class VpcIdResource extends FlowLogResourceType {
  public readonly resourceType = 'VPC';

  public constructor(public readonly resourceId: string) {
    super();
  }
}
