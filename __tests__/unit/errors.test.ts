/** src/registry/base/errors.ts: the distribution error model (docs/registry-protocol.md B.6). */
import { describe, it, expect } from '@jest/globals'
import {
  CancelledError,
  DeadlineError,
  IntegrityError,
  RegistryError,
  TransportError,
  parseErrorBody
} from '../../src/registry/base/errors.js'

const context = { operation: 'PUT manifest', target: 'ghcr.io/o/r:v1' }

describe('parseErrorBody', () => {
  it('reads a distribution error with detail', () => {
    const body = Buffer.from(
      JSON.stringify({
        errors: [
          {
            code: 'MANIFEST_BLOB_UNKNOWN',
            message: 'blob unknown to registry',
            detail: 'sha256:abc'
          }
        ]
      })
    )
    expect(parseErrorBody(body)).toEqual({
      errors: [
        { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: 'sha256:abc' }
      ]
    })
  })

  it('reads several errors and fills in missing fields', () => {
    const body = Buffer.from(
      JSON.stringify({
        errors: [
          {
            code: 'MANIFEST_BLOB_UNKNOWN',
            message: 'blob unknown to registry',
            detail: 'sha256:1'
          },
          {
            code: 'MANIFEST_BLOB_UNKNOWN',
            message: 'blob unknown to registry',
            detail: 'sha256:2'
          },
          { message: 'no code' },
          'not an object',
          { code: 'DENIED', detail: { a: 1 } }
        ]
      })
    )
    const { errors, text } = parseErrorBody(body)
    expect(text).toBeUndefined()
    expect(errors.map((e) => e.code)).toEqual([
      'MANIFEST_BLOB_UNKNOWN',
      'MANIFEST_BLOB_UNKNOWN',
      'UNKNOWN',
      'DENIED'
    ])
    expect(errors[1].detail).toBe('sha256:2')
    expect(errors[3]).toEqual({ code: 'DENIED', message: '', detail: { a: 1 } })
  })

  it('collapses an HTML 502 page to one short line', () => {
    const html = `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
    expect(parseErrorBody(Buffer.from(html))).toEqual({
      errors: [],
      text: '502 Bad Gateway 502 Bad Gateway nginx'
    })
  })

  it('cuts long text to 160 characters', () => {
    const { text } = parseErrorBody(Buffer.from(`<p>${'word '.repeat(100)}</p>`))
    expect(text).toHaveLength(160)
    expect(text!.endsWith('...')).toBe(true)
    expect(text).not.toContain('<')
  })

  it('keeps plain text and JSON without errors as text', () => {
    expect(parseErrorBody(Buffer.from('404 page not found\n'))).toEqual({
      errors: [],
      text: '404 page not found'
    })
    expect(parseErrorBody(Buffer.from('{"message":"x"}'))).toEqual({
      errors: [],
      text: '{"message":"x"}'
    })
    expect(parseErrorBody(Buffer.from('null'))).toEqual({ errors: [], text: 'null' })
  })

  it('gives nothing for an empty or missing body', () => {
    expect(parseErrorBody(Buffer.alloc(0))).toEqual({ errors: [] })
    expect(parseErrorBody(undefined)).toEqual({ errors: [] })
  })
})

describe('RegistryError', () => {
  it('names operation, target, status, code and message', () => {
    const e = new RegistryError(context, 400, [
      { code: 'MANIFEST_INVALID', message: 'manifest invalid' }
    ])
    expect(e.message).toBe('PUT manifest ghcr.io/o/r:v1: 400 MANIFEST_INVALID: manifest invalid')
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('RegistryError')
    expect(e).toMatchObject({
      status: 400,
      code: 'MANIFEST_INVALID',
      operation: 'PUT manifest',
      target: 'ghcr.io/o/r:v1'
    })
  })

  it('counts further errors and appends the hint', () => {
    const e = new RegistryError(
      context,
      400,
      [
        { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: 'sha256:1' },
        { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: 'sha256:2' }
      ],
      { hint: 'check the children' }
    )
    expect(e.message).toBe(
      'PUT manifest ghcr.io/o/r:v1: 400 MANIFEST_BLOB_UNKNOWN: blob unknown to registry (+1 more). check the children'
    )
    expect(e.hint).toBe('check the children')
  })

  it('uses the body text when there is no error code', () => {
    const e = new RegistryError(context, 502, [], { bodyText: '502 Bad Gateway nginx' })
    expect(e.message).toBe('PUT manifest ghcr.io/o/r:v1: 502 502 Bad Gateway nginx')
    expect(e.code).toBeUndefined()
    expect(new RegistryError(context, 404, []).message).toBe('PUT manifest ghcr.io/o/r:v1: 404')
  })

  it('hasCode looks at every error, not only the first', () => {
    const e = new RegistryError(context, 400, [
      { code: 'MANIFEST_INVALID', message: '' },
      { code: 'MANIFEST_BLOB_UNKNOWN', message: '' }
    ])
    expect(e.code).toBe('MANIFEST_INVALID')
    expect(e.hasCode('MANIFEST_BLOB_UNKNOWN')).toBe(true)
    expect(e.hasCode('MANIFEST_INVALID')).toBe(true)
    expect(e.hasCode('DENIED')).toBe(false)
  })
})

describe('other errors', () => {
  it('TransportError names operation, target and code and keeps the cause', () => {
    const cause = new Error('socket hang up')
    const e = new TransportError(
      { operation: 'GET blob', target: 'ghcr.io/o/r@sha256:1' },
      'ECONNRESET',
      'socket hang up',
      { cause }
    )
    expect(e.message).toBe('GET blob ghcr.io/o/r@sha256:1: socket hang up')
    expect(e).toMatchObject({
      name: 'TransportError',
      code: 'ECONNRESET',
      operation: 'GET blob',
      target: 'ghcr.io/o/r@sha256:1'
    })
    expect(e.cause).toBe(cause)
  })

  it('DeadlineError, CancelledError and IntegrityError carry their codes', () => {
    expect(new DeadlineError('x')).toMatchObject({
      name: 'DeadlineError',
      code: 'DEADLINE_EXCEEDED',
      message: 'x'
    })
    expect(new CancelledError('x')).toMatchObject({ name: 'CancelledError', code: 'CANCELLED' })
    expect(new IntegrityError('DIGEST_MISMATCH', 'y')).toMatchObject({
      name: 'IntegrityError',
      code: 'DIGEST_MISMATCH',
      message: 'y'
    })
  })
})
