// The engines check itself: it passes on the committed lock file and fails, naming the
// package, when a package that needs Node 20 is put into a copy of the lock.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEBIAN_NODE, excludedPackages, npmSemver } from './check-engines.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, 'check-engines.mjs');
const lockPath = path.join(here, '..', 'package-lock.json');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'check-engines-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function runCheck(lockFile) {
  return spawnSync(process.execPath, [script, lockFile], { encoding: 'utf8' });
}

describe('check-engines', () => {
  test('the committed lock accepts Debian 12 Node', () => {
    const r = runCheck(lockPath);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`accept Node ${DEBIAN_NODE.replace(/\./g, '\\.')}`));
  });

  test('a locked package that needs Node 20 fails the check and is named', () => {
    const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
    lock.packages['node_modules/needs-node-20'] = { version: '1.0.0', engines: { node: '>=20.19' } };
    const bad = path.join(tmp, 'package-lock.json');
    writeFileSync(bad, JSON.stringify(lock));
    const r = runCheck(bad);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /node_modules\/needs-node-20 needs node >=20\.19/);
  });

  test('ranges are read with npm semver, including unions and carets', () => {
    const semver = npmSemver();
    const lock = {
      name: 'x',
      packages: {
        'node_modules/a': { engines: { node: '^18.0.0 || ^20.0.0 || >=22.0.0' } },
        'node_modules/b': { engines: { node: '^20.19.0 || >=22.12.0' } },
        'node_modules/c': { engines: { node: '>=18.20' } },
        'node_modules/d': { engines: { npm: '>=10' } },
      },
    };
    assert.deepEqual(excludedPackages(lock, DEBIAN_NODE, semver).map((b) => b.name), ['b', 'c']);
    assert.deepEqual(excludedPackages(lock, '22.12.0', semver).map((b) => b.name), []);
  });
});
