import fs from 'node:fs';
import path from 'node:path';

/**
 * onnxruntime-node as a Lambda layer holding only its linux-x64 binary: the npm package carries every platform
 * (288 MB), over Lambda's 250 MB limit. Functions mark the package external and load it from /opt/nodejs.
 */
function layerDirectory(): string {
  const root = path.resolve('.sst/layers/onnxruntime');
  const target = path.join(root, 'nodejs/node_modules');
  fs.rmSync(root, { recursive: true, force: true });
  for (const pkg of ['onnxruntime-node', 'onnxruntime-common']) {
    const source = path.resolve('node_modules', pkg);
    fs.cpSync(source, path.join(target, pkg), {
      recursive: true,
      filter: (file) => {
        const rel = path.relative(source, file);
        if (!rel.startsWith('bin')) return true;
        const parts = rel.split(path.sep);
        // bin/napi-v*/<os>/<arch>: keep linux/x64 only
        return parts.length < 3 || (parts[2] === 'linux' && (parts.length < 4 || parts[3] === 'x64'));
      },
    });
  }
  return root;
}

export const onnxRuntimeLayer = new aws.lambda.LayerVersion('OnnxRuntime', {
  layerName: `${$app.name}-${$app.stage}-onnxruntime`,
  code: new $util.asset.FileArchive(layerDirectory()),
  compatibleRuntimes: ['nodejs22.x'],
  compatibleArchitectures: ['x86_64'],
});
