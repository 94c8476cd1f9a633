/**
 * Every field name AWS documents for VPC flow log records, versions 2–8 and the newer fields
 * without a pinned version (reference: flow-formats.md §1.3). A header line is recognised as a
 * VPC flow log when its tokens are field names and enough of them are known.
 */
export const VPC_FIELD_NAMES: ReadonlySet<string> = new Set([
  // v2
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  // v3
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  // v4
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  // v5
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
  // v6 (Transit Gateway flow logs)
  'resource-type',
  'tgw-id',
  'tgw-attachment-id',
  'tgw-src-vpc-account-id',
  'tgw-dst-vpc-account-id',
  'tgw-src-vpc-id',
  'tgw-dst-vpc-id',
  'tgw-src-subnet-id',
  'tgw-dst-subnet-id',
  'tgw-src-eni',
  'tgw-dst-eni',
  'tgw-src-az-id',
  'tgw-dst-az-id',
  'tgw-pair-attachment-id',
  'packets-lost-no-route',
  'packets-lost-blackhole',
  'packets-lost-mtu-exceeded',
  'packets-lost-ttl-expired',
  // v7 (ECS)
  'ecs-cluster-arn',
  'ecs-cluster-name',
  'ecs-container-instance-arn',
  'ecs-container-instance-id',
  'ecs-container-id',
  'ecs-second-container-id',
  'ecs-service-name',
  'ecs-task-definition-arn',
  'ecs-task-arn',
  'ecs-task-id',
  // v8
  'reject-reason',
  // newer, version not pinned
  'resource-id',
  'encryption-status',
  'instance-tag',
  'interface-tag',
  'asg-tag',
  'interface-type',
]);

/**
 * The fields wardflow reads into the flow record. The rest are valid VPC fields that the record
 * has no column for; they are reported as ignored, like names AWS may add later.
 */
export const VPC_FIELDS_USED: ReadonlySet<string> = new Set([
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  'vpc-id',
  'tcp-flags',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
]);
