/**
 * src/publish/put-refusal.ts: a refused index PUT told apart by status and code, never by
 * message text (docs/registry-quirks.md rows 2-4, 28-31).
 */
import { describe, expect, it } from '@jest/globals'
import { MEDIA_TYPE_DOCKER_LIST, MEDIA_TYPE_OCI_INDEX } from '../../src/oci/media-types.js'
import { classifyPutRefusal, mediaTypeAdvice } from '../../src/publish/put-refusal.js'
import { RegistryError } from '../../src/registry/base/errors.js'

const CONTEXT = { operation: 'PUT manifest', target: 'r.example/o/r:v1' }
const refusal = (status: number, code?: string, message = 'whatever the registry says today') =>
  classifyPutRefusal(
    new RegistryError(CONTEXT, status, code === undefined ? [] : [{ code, message }])
  )

describe('classifyPutRefusal', () => {
  it('ECR 400 TAG_INVALID, Harbor 412 and ACR 405 are immutable tags, whatever the wording', () => {
    expect(refusal(400, 'TAG_INVALID', 'a new wording')).toMatchObject({ kind: 'immutable' })
    expect(refusal(400, 'TAG_INVALID')).toMatchObject({ rule: expect.stringContaining('ECR') })
    expect(refusal(412, 'PRECONDITION')).toMatchObject({
      kind: 'immutable',
      rule: expect.stringContaining('Harbor')
    })
    expect(refusal(412)).toMatchObject({ kind: 'immutable' })
    expect(refusal(405, 'DENIED')).toMatchObject({
      kind: 'immutable',
      rule: expect.stringContaining('ACR')
    })
    expect(refusal(405)).toMatchObject({ kind: 'immutable' })
  })

  it('zot 415 and ECR 405 UNSUPPORTED are refused documents', () => {
    expect(refusal(415, 'MANIFEST_INVALID')).toMatchObject({ kind: 'content' })
    expect(refusal(405, 'UNSUPPORTED')).toMatchObject({ kind: 'content' })
  })

  it('400 MANIFEST_INVALID is either, told apart later by whether the tag exists', () => {
    expect(refusal(400, 'MANIFEST_INVALID')).toMatchObject({
      kind: 'immutable-or-content',
      immutableRule: expect.stringContaining('Artifact Registry')
    })
  })

  it('anything else is not a refusal this module knows', () => {
    expect(refusal(400, 'MANIFEST_BLOB_UNKNOWN')).toBeUndefined()
    expect(refusal(403, 'DENIED')).toBeUndefined()
    expect(refusal(500)).toBeUndefined()
    expect(classifyPutRefusal(new Error('network'))).toBeUndefined()
  })
})

describe('mediaTypeAdvice', () => {
  it('names the media-type input to use instead of the refused one', () => {
    expect(mediaTypeAdvice(MEDIA_TYPE_DOCKER_LIST)).toContain('media-type: oci')
    expect(mediaTypeAdvice(MEDIA_TYPE_OCI_INDEX)).toContain('media-type: docker')
  })
})
