// The cluster's placement rule (actors/placement.cpp), for tests that must
// know which node owns a session: rendezvous hashing of the session id over
// the members' "host:port" names. tests/actors/placement_test.cpp pins the
// same hash values.
'use strict';

const MASK = (1n << 64n) - 1n;

function mix(x) {
  x ^= x >> 30n;
  x = (x * 0xbf58476d1ce4e5b9n) & MASK;
  x ^= x >> 27n;
  x = (x * 0x94d049bb133111ebn) & MASK;
  x ^= x >> 31n;
  return x;
}

function stableHash(text) {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & MASK;
  }
  return mix(h);
}

function weight(member, sessionId) {
  return mix(stableHash(member) ^ mix((stableHash(sessionId) + 1n) & MASK));
}

/** The member of `members` that owns `sessionId`. */
function ownerOf(sessionId, members) {
  let best = null;
  let bestWeight = -1n;
  for (const member of members) {
    const w = weight(member, sessionId);
    if (w > bestWeight || (w === bestWeight && member < best)) {
      best = member;
      bestWeight = w;
    }
  }
  return best;
}

/** A fresh session id owned by `owner` among `members`. */
function idOwnedBy(owner, members, prefix = 's') {
  for (;;) {
    const id = `${prefix}${Math.random().toString(36).slice(2, 12)}`;
    if (ownerOf(id, members) === owner) return id;
  }
}

module.exports = { stableHash, ownerOf, idOwnedBy };
