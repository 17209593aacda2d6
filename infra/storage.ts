/** The bucket that holds trajectories, datasets, embeddings and execution records. */
export const bucket = new sst.aws.Bucket('Data');

/** REVERIE_STORE for every function: one prefix in the bucket. */
export const storeUri = $interpolate`s3://${bucket.name}/reverie`;
