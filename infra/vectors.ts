/**
 * Amazon S3 Vectors for gallery search (REVERIE_VECTOR_INDEX=s3vectors, enabled by deploying with
 * REVERIE_VECTOR_INDEX=s3vectors in the shell). Infra creates the vector bucket; the search code creates one index
 * per gallery part in it on first use (`<gallery>-old-remaining`, `<gallery>-old-backfilled`, `<gallery>-new`),
 * since galleries are made at run time. The functions that search get the bucket name and the permissions below.
 */
const enabled = process.env.REVERIE_VECTOR_INDEX === 's3vectors';

export const vectorBucket = enabled ? new aws.s3.VectorsVectorBucket('GalleryVectors', { vectorBucketName: `reverie-${$app.stage}-vectors` }) : undefined;

/** Environment for a function that searches galleries. */
export function vectorEnvironment(): Record<string, $util.Input<string>> {
  if (!vectorBucket) return { REVERIE_VECTOR_INDEX: process.env.REVERIE_VECTOR_INDEX ?? 'exact' };
  return { REVERIE_VECTOR_INDEX: 's3vectors', REVERIE_VECTOR_BUCKET: vectorBucket.vectorBucketName };
}

/** What the adapter calls: index creation and lookup, vector writes, deletes, reads and queries, in this bucket only. */
export function vectorPermissions(): { actions: string[]; resources: $util.Input<string>[] }[] {
  if (!vectorBucket) return [];
  return [{
    actions: ['s3vectors:CreateIndex', 's3vectors:GetIndex', 's3vectors:PutVectors', 's3vectors:DeleteVectors', 's3vectors:GetVectors', 's3vectors:ListVectors', 's3vectors:QueryVectors'],
    resources: [vectorBucket.vectorBucketArn, $interpolate`${vectorBucket.vectorBucketArn}/index/*`],
  }];
}
