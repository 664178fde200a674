// Fails when a package locked in package-lock.json declares an engines.node range that
// excludes the Node.js of Debian 12 (18.19.0): the dashboard must build with the distro's
// own nodejs. Ranges are judged by the semver package that npm itself ships, so the
// comparison is npm's own. Usage: node tests/check-engines.mjs [lockfile] [node version]
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEBIAN_NODE = '18.19.0';

/** npm's own semver: beside npm-cli.js (npm's bundle) or on Debian's global module path. */
export function npmSemver() {
  const tried = [];
  const npmCli = process.env.npm_execpath || whichNpmCli();
  const bases = [npmCli, import.meta.url].filter(Boolean);
  for (const base of bases) {
    try {
      return createRequire(base)('semver');
    } catch (e) {
      tried.push(`${base}: ${e.code ?? e.message}`);
    }
  }
  throw new Error(`cannot find the semver package npm ships (tried ${tried.join('; ')})`);
}

function whichNpmCli() {
  try {
    const npm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    return npm ? realpathSync(npm) : undefined;
  } catch {
    return undefined;
  }
}

/** Every locked package whose engines.node excludes `version`: [{name, range}]. */
export function excludedPackages(lock, version, semver) {
  const bad = [];
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    const range = entry?.engines?.node;
    if (typeof range !== 'string') continue;
    const name = key === '' ? `${lock.name} (the dashboard itself)` : key.replace(/^.*node_modules\//, '');
    if (!semver.satisfies(version, range, { includePrerelease: true })) bad.push({ name, range, key });
  }
  return bad;
}

function main() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const lockPath = process.argv[2] || path.join(here, '..', 'package-lock.json');
  const version = process.argv[3] || DEBIAN_NODE;
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  const bad = excludedPackages(lock, version, npmSemver());
  if (bad.length === 0) {
    const count = Object.keys(lock.packages ?? {}).length;
    console.log(`check-engines: all ${count} locked packages accept Node ${version}`);
    return 0;
  }
  for (const b of bad) console.error(`check-engines: ${b.key || b.name} needs node ${b.range}, excluding ${version}`);
  console.error(`check-engines: ${bad.length} locked package(s) exclude Node ${version} (Debian 12's nodejs)`);
  return 1;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
