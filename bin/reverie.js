#!/usr/bin/env node
// Reverie runs its TypeScript directly (Node's type stripping), which needs Node 22.18+.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `reverie needs Node.js 22.18 or newer, this is ${process.version}. ` +
      'Run it through npm so the pinned node@22 is used: npx reverie ... or npm run reverie -- ...',
  );
  process.exit(2);
}
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
