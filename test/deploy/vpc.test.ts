import { describe, expect, it } from 'vitest';
import { vpcFromEnvironment } from '../../infra/vpc.ts';

describe('the optional VPC setting', () => {
  it('is off unless set, and takes comma-separated subnet and security group ids', () => {
    expect(vpcFromEnvironment({})).toBeUndefined();
    expect(vpcFromEnvironment({ REVERIE_VPC_SUBNETS: 'subnet-0123abcd, subnet-0123abce', REVERIE_VPC_SECURITY_GROUPS: 'sg-0123abcd' }))
      .toEqual({ privateSubnets: ['subnet-0123abcd', 'subnet-0123abce'], securityGroups: ['sg-0123abcd'] });
  });

  it('refuses half a setting or ids of the wrong kind', () => {
    expect(() => vpcFromEnvironment({ REVERIE_VPC_SUBNETS: 'subnet-0123abcd' })).toThrow(/both/);
    expect(() => vpcFromEnvironment({ REVERIE_VPC_SUBNETS: 'sg-0123abcd', REVERIE_VPC_SECURITY_GROUPS: 'sg-0123abcd' })).toThrow(/not a subnet id/);
  });
});
