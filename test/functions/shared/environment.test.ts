import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../../functions/shared/deployment-contract.js';
import {
  EnvironmentError,
  lambdaTaskRoot,
  readEnvironment,
} from '../../../functions/shared/environment.js';

describe('Environment: readEnvironment', () => {
  it('reads the settings by the contract’s variable names', () => {
    const env = { [ENVIRONMENT.lakeBucket]: 'lake', [ENVIRONMENT.findingsTopicArn]: 'arn:t' };
    expect(readEnvironment(['lakeBucket', 'findingsTopicArn'], env)).toEqual({
      lakeBucket: 'lake',
      findingsTopicArn: 'arn:t',
    });
  });

  it('names the missing variable and what it should hold', () => {
    const error = (() => {
      try {
        readEnvironment(['lakeBucket', 'glueDatabase'], { [ENVIRONMENT.lakeBucket]: 'lake' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).variable).toBe('WARDFLOW_GLUE_DATABASE');
    expect((error as Error).message).toBe(
      'WARDFLOW_GLUE_DATABASE: expected the name of the Glue database (set by the CDK app), got nothing',
    );
  });

  it('treats a blank value as missing', () => {
    expect(() =>
      readEnvironment(['athenaWorkgroup'], { [ENVIRONMENT.athenaWorkgroup]: ' ' }),
    ).toThrow(
      'WARDFLOW_ATHENA_WORKGROUP: expected the name of the Athena workgroup (set by the CDK app), got an empty value',
    );
  });
});

describe('Environment: lambdaTaskRoot', () => {
  it('is the task root in Lambda and null elsewhere', () => {
    expect(lambdaTaskRoot({ LAMBDA_TASK_ROOT: '/var/task' })).toBe('/var/task');
    expect(lambdaTaskRoot({})).toBeNull();
  });
});
