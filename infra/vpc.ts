/**
 * The optional VPC for the functions, from the deploying shell: REVERIE_VPC_SUBNETS and REVERIE_VPC_SECURITY_GROUPS
 * (comma-separated ids), so Lambda reaches a private LLM server (vLLM in the VPC). Both or neither; the subnets need
 * a NAT gateway or VPC endpoints for S3, SQS and Step Functions (README "Deploying").
 */
export function vpcFromEnvironment(env: Record<string, string | undefined>): { privateSubnets: string[]; securityGroups: string[] } | undefined {
  const list = (name: string) => (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const privateSubnets = list('REVERIE_VPC_SUBNETS');
  const securityGroups = list('REVERIE_VPC_SECURITY_GROUPS');
  if (privateSubnets.length === 0 && securityGroups.length === 0) return undefined;
  if (privateSubnets.length === 0 || securityGroups.length === 0) {
    throw new Error('set both REVERIE_VPC_SUBNETS and REVERIE_VPC_SECURITY_GROUPS (comma-separated ids), or neither');
  }
  for (const id of privateSubnets) if (!/^subnet-[0-9a-f]{8,17}$/.test(id)) throw new Error(`REVERIE_VPC_SUBNETS: "${id}" is not a subnet id`);
  for (const id of securityGroups) if (!/^sg-[0-9a-f]{8,17}$/.test(id)) throw new Error(`REVERIE_VPC_SECURITY_GROUPS: "${id}" is not a security group id`);
  return { privateSubnets, securityGroups };
}
