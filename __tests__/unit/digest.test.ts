/** src/oci/digest.ts */
import { describe, it, expect } from '@jest/globals'
import { isDigest, sha256Digest, shortDigest } from '../../src/oci/digest.js'

// sha256 of the empty string and of "abc" (FIPS 180-2 test vector).
const EMPTY = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const ABC = 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'

describe('sha256Digest', () => {
  it('hashes exactly the bytes', () => {
    expect(sha256Digest(new Uint8Array())).toBe(EMPTY)
    expect(sha256Digest(Buffer.from('abc'))).toBe(ABC)
    expect(sha256Digest(Buffer.from('abc\n'))).not.toBe(ABC)
  })
})

describe('isDigest', () => {
  it('accepts sha256 with 64 lowercase hex', () => {
    expect(isDigest(ABC)).toBe(true)
  })

  it.each([
    ['uppercase hex', ABC.toUpperCase().replace('SHA256', 'sha256')],
    ['63 hex', ABC.slice(0, -1)],
    ['65 hex', `${ABC}0`],
    ['non-hex', `sha256:${'g'.repeat(64)}`],
    ['no algorithm', ABC.slice('sha256:'.length)],
    ['empty', ''],
    ['empty encoded', 'sha512:']
  ])('rejects %s', (_name, value) => {
    expect(isDigest(value)).toBe(false)
  })

  it('accepts other algorithms by the descriptor grammar', () => {
    expect(isDigest(`sha512:${'a'.repeat(128)}`)).toBe(true)
    expect(isDigest('multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8')).toBe(true)
  })
})

describe('shortDigest', () => {
  it('keeps the algorithm and 12 characters', () => {
    expect(shortDigest(ABC)).toBe('sha256:ba7816bf8f01')
  })

  it('leaves a string without a colon alone', () => {
    expect(shortDigest('nodigest')).toBe('nodigest')
  })
})
