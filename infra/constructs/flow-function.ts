import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSettings } from '../../functions/shared/deployment-config.js';
import { BUNDLED_CONFIG_FILE, ENVIRONMENT } from '../../functions/shared/deployment-contract.js';
import { allow } from '../least-privilege.js';
import { QUERIES_ROOT, REPO_ROOT } from '../paths.js';

/** The network a function runs in. */
export interface FunctionPlacement {
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection;
  readonly securityGroup: ISecurityGroup;
}

/** Properties of {@link FlowFunction}. */
export interface FlowFunctionProps {
  /** Handler file relative to the repository root, from `HANDLER_ENTRIES`. */
  readonly entry: string;
  /** What the function does, for the console. */
  readonly description: string;
  /** Memory, timeout and reserved concurrency (`deployment.functions.<name>`). */
  readonly settings: FunctionSettings;
  /**
   * The resolved wardflow configuration as JSON, copied into the asset as `BUNDLED_CONFIG_FILE`
   * (the same file the CLI reads, validated and with defaults filled in).
   */
  readonly configJson: string;
  /** Values of the contract's environment variables (`ENVIRONMENT`), by key. */
  readonly environment: Partial<Record<keyof typeof ENVIRONMENT, string>>;
  /** Encrypts the log group and the dead-letter queue. */
  readonly key: IKey;
  /** Retention of the function's log group. */
  readonly logRetention: RetentionDays;
  /** Receives failed asynchronous invocations. */
  readonly deadLetterQueue: IQueue;
  /** VPC, subnets and security group. */
  readonly placement: FunctionPlacement;
  /**
   * Copy `queries/` into the asset beside the handler (the plan and publish steps read the
   * detection catalog from `<LAMBDA_TASK_ROOT>/queries`).
   * @default false
   */
  readonly bundleQueries?: boolean;
}

/** Environment every handler gets besides the contract's variables. */
const BASE_ENVIRONMENT = { NODE_OPTIONS: '--enable-source-maps' };

/**
 * One wardflow Lambda: Node.js (the newest runtime this aws-cdk-lib knows), arm64, bundled with the
 * local esbuild (no Docker) into one ES module with the resolved configuration beside it, an
 * explicit KMS-encrypted log group with retention, reserved concurrency, a dead-letter queue,
 * and placement in the VPC.
 *
 * Its role is not modifiable by CDK grants: every permission is written into {@link policy}, a
 * customer-managed policy, with {@link allow}. The base permissions (its own log group, network
 * interfaces in the VPC, its dead-letter queue) are added here.
 */
export class FlowFunction extends Construct {
  /** The function. */
  public readonly function: NodejsFunction;
  /** The only policy of the function's role; add statements with `allow`. */
  public readonly policy: ManagedPolicy;
  /** The function's log group. */
  public readonly logGroup: LogGroup;
  /** Memory, timeout and reserved concurrency it was created with. */
  public readonly settings: FunctionSettings;

  public constructor(scope: Construct, id: string, props: FlowFunctionProps) {
    super(scope, id);
    const { settings } = props;
    this.settings = settings;
    this.logGroup = new LogGroup(this, 'LogGroup', {
      encryptionKey: props.key,
      retention: props.logRetention,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `wardflow ${id} function`,
    });
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: `wardflow ${id} function: least privilege`,
      roles: [role],
    });
    allow(this.policy, {
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    });
    allow(this.policy, {
      actions: ['sqs:SendMessage'],
      resources: [props.deadLetterQueue.queueArn],
    });
    allow(this.policy, {
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [props.key.keyArn],
    });
    allow(this.policy, {
      actions: [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      resources: ['*'],
      wildcardReason:
        'Lambda manages the network interfaces of a VPC-attached function with these EC2 actions, whose Describe calls support no resource-level permissions (the same grant as the AWSLambdaVPCAccessExecutionRole managed policy).',
    });

    // Runs only when the asset is bundled (not when a test skips bundling): no stray files.
    const copies = (outputDir: string) => [
      copyCommand(
        'copyFileSync',
        writeConfigFile(props.configJson),
        BUNDLED_CONFIG_FILE,
      )(outputDir),
      ...(props.bundleQueries === true
        ? [copyCommand('cpSync', QUERIES_ROOT, 'queries')(outputDir)]
        : []),
    ];
    const environment: Record<string, string> = {
      ...BASE_ENVIRONMENT,
      [ENVIRONMENT.configFile]: BUNDLED_CONFIG_FILE,
    };
    for (const [key, value] of Object.entries(props.environment)) {
      environment[ENVIRONMENT[key as keyof typeof ENVIRONMENT]] = value;
    }

    this.function = new NodejsFunction(this, 'Resource', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: settings.memory_mb,
      timeout: Duration.seconds(settings.timeout_seconds),
      reservedConcurrentExecutions: settings.reserved_concurrency,
      role: role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      deadLetterQueueEnabled: true,
      deadLetterQueue: props.deadLetterQueue,
      vpc: props.placement.vpc,
      vpcSubnets: props.placement.subnets,
      securityGroups: [props.placement.securityGroup],
      environment,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        // Bundle the pinned AWS SDK rather than the runtime's: what was tested is what runs.
        externalModules: [],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // CommonJS dependencies inside an ES module bundle call require().
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => copies(outputDir),
        },
      },
    });
    // Lambda checks at creation that the role may manage network interfaces in the VPC.
    this.function.node.addDependency(this.policy);
  }
}

/**
 * Writes the configuration JSON where the bundling commands can copy it from: a file named by
 * its content hash in the temporary folder, so repeated synths reuse it.
 */
function writeConfigFile(json: string): string {
  const folder = join(tmpdir(), 'wardflow-cdk');
  mkdirSync(folder, { recursive: true });
  const file = join(
    folder,
    `config-${createHash('sha256').update(json).digest('hex').slice(0, 16)}.json`,
  );
  if (!existsSync(file)) writeFileSync(file, json);
  return file;
}

/** A shell command copying `from` to `<outputDir>/<to>` with Node (works wherever synth runs). */
function copyCommand(
  fn: 'copyFileSync' | 'cpSync',
  from: string,
  to: string,
): (outputDir: string) => string {
  const options = fn === 'cpSync' ? ', { recursive: true }' : '';
  return (outputDir) =>
    `node -e "require('node:fs').${fn}(process.argv[1], process.argv[2]${options})" "${from}" "${join(outputDir, to)}"`;
}
