import {
  GatewayVpcEndpoint,
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  type IVpc,
  Peer,
  Port,
  SecurityGroup,
  type SubnetSelection,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { VpcSettings } from '../../functions/shared/deployment-config.js';
import { acknowledge } from '../compliance.js';

/** Properties of {@link FunctionNetwork}. */
export interface FunctionNetworkProps {
  /** Create or import, endpoints (`deployment.vpc`). */
  readonly settings: VpcSettings;
}

/** The AWS services wardflow's Lambdas call, reached through interface endpoints. */
const INTERFACE_SERVICES: readonly [string, InterfaceVpcEndpointAwsService][] = [
  ['Athena', InterfaceVpcEndpointAwsService.ATHENA],
  ['Sns', InterfaceVpcEndpointAwsService.SNS],
  ['Sqs', InterfaceVpcEndpointAwsService.SQS],
  ['Kms', InterfaceVpcEndpointAwsService.KMS],
  ['Logs', InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
  ['Glue', InterfaceVpcEndpointAwsService.GLUE],
  ['Sts', InterfaceVpcEndpointAwsService.STS],
  ['StepFunctions', InterfaceVpcEndpointAwsService.STEP_FUNCTIONS],
];

/**
 * Where the Lambdas run: private subnets of a created VPC (isolated: no internet gateway, no NAT)
 * or of an imported one, with an S3 gateway endpoint and interface endpoints for every service the
 * handlers call, so flow data never crosses the internet. The functions' security group has no
 * ingress and allows only HTTPS out; the endpoints accept HTTPS from that group only.
 */
export class FunctionNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: IVpc;
  /** The subnets the functions run in. */
  public readonly subnets: SubnetSelection;
  /** Security group of the functions. */
  public readonly securityGroup: SecurityGroup;
  /** The VPC wardflow created, if it created one (its flow logs feed wardflow too). */
  public readonly createdVpc?: Vpc;

  public constructor(scope: Construct, id: string, props: FunctionNetworkProps) {
    super(scope, id);
    const { settings } = props;
    if (settings.mode === 'create') {
      const vpc = new Vpc(this, 'Vpc', {
        maxAzs: settings.max_azs,
        natGateways: 0,
        subnetConfiguration: [
          { name: 'functions', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
        ],
        // Nothing uses the default security group; closing it needs a custom-resource Lambda.
        restrictDefaultSecurityGroup: false,
      });
      acknowledge(
        vpc,
        'HIPAA.Security-VPCDefaultSecurityGroupClosed',
        'No resource is placed in the default security group of this VPC (every function and endpoint has its own group), and closing its rules would need a custom-resource Lambda outside the VPC controls.',
      );
      this.vpc = vpc;
      this.createdVpc = vpc;
      this.subnets = { subnetType: SubnetType.PRIVATE_ISOLATED };
    } else {
      this.vpc = Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: settings.vpc_id as string,
        availabilityZones: [...settings.availability_zones],
        privateSubnetIds: [...settings.subnet_ids],
        privateSubnetRouteTableIds:
          settings.route_table_ids.length > 0 ? [...settings.route_table_ids] : undefined,
      });
      this.subnets = { subnetType: SubnetType.PRIVATE_WITH_EGRESS };
    }

    this.securityGroup = new SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc: this.vpc,
      description: 'wardflow Lambdas: no ingress; HTTPS out to AWS endpoints only',
      allowAllOutbound: false,
    });
    // Isolated subnets have no route out, so in a created VPC this reaches the endpoints only.
    this.securityGroup.addEgressRule(
      Peer.anyIpv4(),
      Port.tcp(443),
      'HTTPS to AWS service endpoints',
    );

    if (!settings.endpoints) return;
    new GatewayVpcEndpoint(this, 'S3Endpoint', {
      vpc: this.vpc,
      service: GatewayVpcEndpointAwsService.S3,
      subnets: [this.subnets],
    });
    const endpointGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'wardflow interface endpoints: HTTPS from the wardflow Lambdas only',
      allowAllOutbound: false,
    });
    endpointGroup.addIngressRule(this.securityGroup, Port.tcp(443), 'HTTPS from wardflow Lambdas');
    for (const [name, service] of INTERFACE_SERVICES) {
      new InterfaceVpcEndpoint(this, `${name}Endpoint`, {
        vpc: this.vpc,
        service,
        subnets: this.subnets,
        securityGroups: [endpointGroup],
        privateDnsEnabled: true,
        open: false,
      });
    }
  }
}
