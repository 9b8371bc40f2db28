import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/oci/digest.ts
import { createHash } from "node:crypto";
var SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
var ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
function sha256Digest(bytes) {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
function isDigest(value) {
  if (value.startsWith("sha256:")) return SHA256_DIGEST.test(value);
  return ANY_DIGEST.test(value);
}
function shortDigest(digest) {
  const [algorithm, encoded] = digest.split(":");
  return encoded === void 0 ? digest : `${algorithm}:${encoded.slice(0, 12)}`;
}

export {
  sha256Digest,
  isDigest,
  shortDigest
};
