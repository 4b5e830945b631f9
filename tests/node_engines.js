// Every npm package the project pins must run on Debian bookworm's own
// Node.js (18.20): a fresh machine gets that one, whatever this machine has.
//   node tests/node_engines.js NODE_VERSION LOCKFILE...
'use strict';
const fs = require('node:fs');

const [versionText, ...lockfiles] = process.argv.slice(2);
const version = /^(\d+)\.(\d+)\.(\d+)$/.exec(versionText || '');
if (!version || lockfiles.length === 0) {
  console.error('usage: node_engines.js NODE_VERSION LOCKFILE...');
  process.exit(2);
}
const [major, minor, patch] = version.slice(1).map(Number);

function atLeast(a, b = 0, c = 0) {
  return major !== a ? major > a : minor !== b ? minor > b : patch >= c;
}

// Whether `range` admits the version, for the forms packages use in
// "engines": ">=A[.B[.C]]", "^A", "A.x", "*", alternatives joined by "||".
// Anything else is refused, so that a person looks at it.
function admits(range) {
  return range.split('||').some((alternative) => {
    const text = alternative.trim();
    if (text === '' || text === '*' || text === 'x') return true;
    let m = /^>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text);
    if (m) return atLeast(Number(m[1]), Number(m[2] || 0), Number(m[3] || 0));
    m = /^\^?v?(\d+)(?:\.[x*])?$/.exec(text);
    if (m) return major === Number(m[1]);
    throw new Error(`cannot judge the engines range "${range}"`);
  });
}

let failures = 0;
for (const lockfile of lockfiles) {
  const lock = JSON.parse(fs.readFileSync(lockfile, 'utf8'));
  for (const [where, pkg] of Object.entries(lock.packages || {})) {
    const range = pkg.engines && pkg.engines.node;
    if (!range) continue;
    const name = where || lockfile;
    try {
      if (!admits(range)) {
        console.log(`${lockfile}: ${name}@${pkg.version} needs node ${range}`);
        ++failures;
      }
    } catch (e) {
      console.log(`${lockfile}: ${name}: ${e.message}`);
      ++failures;
    }
  }
}
if (failures) {
  console.log(`${failures} package(s) do not run on Node.js ${versionText}`);
  process.exit(1);
}
console.log(`every pinned package runs on Node.js ${versionText}`);
