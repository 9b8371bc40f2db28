import { createHash } from 'node:crypto'
import type { Digest } from './types.js'

const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/
/** image-spec descriptor.md digest grammar: algorithm ":" encoded. */
const ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/

/** The sha256 digest of exactly these bytes, as the registry computes it. */
export function sha256Digest(bytes: Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** True for a well-formed digest (sha256 is checked strictly: 64 lowercase hex). */
export function isDigest(value: string): boolean {
  if (value.startsWith('sha256:')) return SHA256_DIGEST.test(value)
  return ANY_DIGEST.test(value)
}

/** `sha256:0123456789ab` — enough to tell digests apart in logs and tables. */
export function shortDigest(digest: Digest): string {
  const [algorithm, encoded] = digest.split(':')
  return encoded === undefined ? digest : `${algorithm}:${encoded.slice(0, 12)}`
}
