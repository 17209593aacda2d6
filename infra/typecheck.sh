#!/usr/bin/env bash
# Type-checks sst.config.ts and infra/ offline: `sst install` fetches SST's platform types from the npm registry
# (no AWS account needed), then tsc checks them. Deploying needs AWS and is not done here.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f .sst/platform/config.d.ts ]; then
  SST_TELEMETRY_DISABLED=1 SST_STAGE="${SST_STAGE:-typecheck}" SST_SKIP_DEPENDENCY_CHECK=1 SST_NO_BUN=1 npx sst install
fi
npx tsc --noEmit -p infra/tsconfig.json
echo "infra type-check passed"
