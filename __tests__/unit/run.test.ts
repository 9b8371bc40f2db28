/**
 * The run sequence the Action and the CLI share (src/publish/run.ts): inputs refused before
 * any request, the failed-count line and the exit status, cancellation on the first signal
 * and leaving on the second, signal listeners gone after the run, the look before the
 * session (the Action's releases). A registry held in memory on an undici MockAgent, fake
 * time, a fake process.
 */
import { describe, it, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { InputError } from '../../src/publish/errors.js'
import type { ImagePlan, InputNotice } from '../../src/publish/options.js'
import { parseOptions } from '../../src/publish/parse-options.js'
import type { ImageReport } from '../../src/publish/result.js'
import {
  cancelOnSignals,
  runSequence,
  type CancelSignal,
  type Preparation,
  type ProcessHooks,
  type RunFace
} from '../../src/publish/run.js'
import type { RawInputs } from '../../src/publish/options.js'
import {
  fakeTime,
  mockAgent,
  recordingLogger,
  serve,
  TEST_POLICY,
  type FakeTime,
  type SeenRequest
} from './support/fakes.js'

const HOST = 'registry.example.com'
const ORIGIN = `https://${HOST}`
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

const sha256 = (bytes: Buffer | string) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`

/** A process stand-in: signals are events; `exit` is recorded, never taken. */
class FakeProcess extends EventEmitter implements ProcessHooks {
  exits: number[] = []
  override on(signal: CancelSignal, listener: () => void): this {
    return super.on(signal, listener)
  }
  override removeListener(signal: CancelSignal, listener: () => void): this {
    return super.removeListener(signal, listener)
  }
  exit(code: number): void {
    this.exits.push(code)
  }
  listening(): number {
    return this.listenerCount('SIGINT') + this.listenerCount('SIGTERM')
  }
}

/**
 * A registry in memory: manifests by repository and tag or digest, blobs by digest; PUT of a
 * manifest stores it under the tag. Every request is recorded.
 */
function memoryRegistry() {
  const manifests = new Map<string, { bytes: Buffer; mediaType: string }>()
  const blobs = new Map<string, Buffer>()
  const seen: SeenRequest[] = []
  const agent = mockAgent()
  const reply = (repo: string, ref: string, head: boolean) => {
    const m = manifests.get(`${repo}:${ref}`) ?? manifests.get(`${repo}@${ref}`)
    if (!m)
      return { status: 404, body: { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'unknown' }] } }
    return {
      status: 200,
      body: head ? '' : m.bytes,
      headers: {
        'content-type': m.mediaType,
        'docker-content-digest': sha256(m.bytes),
        'content-length': String(m.bytes.length)
      }
    }
  }
  serve(agent, ORIGIN, seen, (req) => {
    const path = req.path.split('?')[0]
    if (path === '/v2/') return { status: 200, body: '{}' }
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path)
    if (manifest) {
      const [, repo, ref] = manifest
      if (req.method === 'PUT') {
        const bytes = req.body ?? Buffer.alloc(0)
        const stored = { bytes, mediaType: req.headers['content-type'] }
        manifests.set(`${repo}:${ref}`, stored)
        manifests.set(`${repo}@${sha256(bytes)}`, stored)
        const headers: Record<string, string> = { 'docker-content-digest': sha256(bytes) }
        return { status: 201, headers }
      }
      return reply(repo, ref, req.method === 'HEAD')
    }
    const blob = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(path)
    if (blob) {
      const bytes = blobs.get(blob[2])
      if (!bytes) return { status: 404, body: { errors: [{ code: 'BLOB_UNKNOWN' }] } }
      return {
        status: 200,
        body: req.method === 'HEAD' ? '' : bytes,
        headers: { 'content-length': String(bytes.length), 'docker-content-digest': blob[2] }
      }
    }
    return { status: 404 }
  })
  return {
    agent,
    seen,
    /** A single-platform image under `repo:tag`. */
    push(repo: string, tag: string, os: string, architecture: string) {
      const config = Buffer.from(JSON.stringify({ os, architecture, rootfs: { type: 'layers' } }))
      blobs.set(sha256(config), config)
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: {
            mediaType: 'application/vnd.oci.image.config.v1+json',
            digest: sha256(config),
            size: config.length
          },
          layers: []
        })
      )
      const stored = { bytes, mediaType: OCI_MANIFEST }
      manifests.set(`${repo}:${tag}`, stored)
      manifests.set(`${repo}@${sha256(bytes)}`, stored)
    },
    writes: () => seen.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
  }
}

interface Heard {
  notices: InputNotice[]
  cancelling: string[]
  done: string[]
}

/** A face over `raw` inputs, the memory registry and fake time; `extra` replaces parts. */
function face(
  raw: RawInputs,
  registry: ReturnType<typeof memoryRegistry>,
  time: FakeTime,
  extra: Partial<RunFace<string>> = {}
): { face: RunFace<string>; heard: Heard; logger: ReturnType<typeof recordingLogger> } {
  const heard: Heard = { notices: [], cancelling: [], done: [] }
  const logger = recordingLogger()
  return {
    heard,
    logger,
    face: {
      read: () => ({ inputs: 'read', options: parseOptions(raw) }),
      env: {},
      logger,
      onNotice: (notice) => heard.notices.push(notice),
      onCancelling: (line) => heard.cancelling.push(line),
      onImageDone: (report) => heard.done.push(`${report.image}:${report.status}`),
      session: {
        dispatcher: registry.agent,
        clock: time.clock,
        sleep: time.sleep,
        random: () => 0.5,
        policy: TEST_POLICY
      },
      ...extra
    }
  }
}

const TWO_IMAGES: RawInputs = {
  images: `${HOST}/o/a\n${HOST}/o/b`,
  tag: 'v1',
  platforms: 'linux/amd64'
}

describe('runSequence', () => {
  it('refuses bad inputs before any request and before listening for signals', async () => {
    const registry = memoryRegistry()
    const proc = new FakeProcess()
    const { face: f } = face({ images: '', tag: 'v1' }, registry, fakeTime(), { process: proc })
    const outcome = await runSequence(f)
    expect(outcome.kind).toBe('refused')
    expect(outcome.kind === 'refused' && outcome.error).toBeInstanceOf(InputError)
    expect(registry.seen).toEqual([])
    expect(proc.exits).toEqual([])
  })

  it('refuses a malformed tuning variable the same way', async () => {
    const registry = memoryRegistry()
    const { face: f } = face(TWO_IMAGES, registry, fakeTime(), {
      env: { MULTIARCH_INDEX_REQUEST_TIMEOUT: 'soon' }
    })
    const outcome = await runSequence(f)
    expect(outcome.kind === 'refused' && (outcome.error as InputError).input).toBe(
      'MULTIARCH_INDEX_REQUEST_TIMEOUT'
    )
    expect(registry.seen).toEqual([])
  })

  it('publishes every image: exit status 0, no failure line, listeners gone', async () => {
    const registry = memoryRegistry()
    registry.push('o/a', 'v1-linux-amd64', 'linux', 'amd64')
    registry.push('o/b', 'v1-linux-amd64', 'linux', 'amd64')
    const proc = new FakeProcess()
    const { face: f, heard, logger } = face(TWO_IMAGES, registry, fakeTime(), { process: proc })
    const outcome = await runSequence(f)
    expect(outcome.kind).toBe('ran')
    if (outcome.kind !== 'ran') return
    expect(outcome.reports.map((r) => r.status)).toEqual(['created', 'created'])
    expect(outcome.exitCode).toBe(0)
    expect(outcome.failure).toBeUndefined()
    expect(logger.at('info')).toContain('publish: 2 image(s), tag v1')
    expect(heard.done.sort()).toEqual([`${HOST}/o/a:created`, `${HOST}/o/b:created`])
    expect(registry.writes().map((r) => r.path)).toEqual(
      expect.arrayContaining(['/v2/o/a/manifests/v1', '/v2/o/b/manifests/v1'])
    )
    expect(proc.listening()).toBe(0)
  })

  it('one image of two failed: the failed-count line names it, exit status 1', async () => {
    const registry = memoryRegistry()
    registry.push('o/a', 'v1-linux-amd64', 'linux', 'amd64')
    const { face: f } = face(TWO_IMAGES, registry, fakeTime())
    const outcome = await runSequence(f)
    if (outcome.kind !== 'ran') throw new Error(`not run: ${outcome.kind}`)
    expect(outcome.reports.map((r) => [r.image, r.status])).toEqual([
      [`${HOST}/o/a`, 'created'],
      [`${HOST}/o/b`, 'failed']
    ])
    expect(outcome.failure).toBe(`1 of 2 image(s) failed: ${HOST}/o/b`)
    expect(outcome.exitCode).toBe(1)
  })

  it('the first signal cancels the run: nothing written, the report says so, exit status 1', async () => {
    const registry = memoryRegistry()
    const proc = new FakeProcess()
    const time = fakeTime()
    // The source is missing and the step waits for it: the signal arrives during that wait.
    time.onSleep = () => proc.emit('SIGINT')
    const { face: f, heard } = face(
      { ...TWO_IMAGES, images: `${HOST}/o/a`, 'wait-timeout': '60s' },
      registry,
      time,
      { process: proc }
    )
    const outcome = await runSequence(f)
    if (outcome.kind !== 'ran') throw new Error(`not run: ${outcome.kind}`)
    expect(heard.cancelling).toEqual([
      'received SIGINT: cancelling; no further request will be sent'
    ])
    expect(outcome.reports[0].status).toBe('failed')
    expect(outcome.reports[0].errorCode).toBe('CANCELLED')
    expect(outcome.reports[0].error).toContain('tags written: none')
    expect(outcome.failure).toBe(`1 of 1 image(s) failed: ${HOST}/o/a`)
    expect(outcome.exitCode).toBe(1)
    expect(registry.writes()).toEqual([])
    expect(proc.exits).toEqual([])
    expect(proc.listening()).toBe(0)
  })

  it('hands the notices on the inputs to the face before any request', async () => {
    const registry = memoryRegistry()
    const heardAt: Array<[string, number]> = []
    const { face: f } = face(
      { ...TWO_IMAGES, annotations: 'manifest:org.example.a=1' },
      registry,
      fakeTime(),
      { onNotice: (notice) => heardAt.push([notice.input, registry.seen.length]) }
    )
    await runSequence(f)
    expect(heardAt).toEqual([['annotations', 0]])
    expect(registry.seen.length).toBeGreaterThan(0)
  })

  it('the look before the session may refuse: no image is run, listeners gone', async () => {
    const registry = memoryRegistry()
    const proc = new FakeProcess()
    const { face: f } = face(TWO_IMAGES, registry, fakeTime(), {
      process: proc,
      prepare: async (inputs) => {
        expect(inputs).toBe('read')
        return { refused: 'no release to check' }
      }
    })
    const outcome = await runSequence(f)
    expect(outcome).toMatchObject({ kind: 'stopped', message: 'no release to check' })
    expect(registry.seen).toEqual([])
    expect(proc.listening()).toBe(0)
  })

  it('rows from the look before the session: decided rows keep their place, failures name the release', async () => {
    const registry = memoryRegistry()
    registry.push('o/a', 'v2-linux-amd64', 'linux', 'amd64')
    const options = parseOptions(TWO_IMAGES)
    const rendered = (tag: string): ImagePlan => parseOptions({ ...TWO_IMAGES, tag }).plans[0]
    const decided: ImageReport = {
      image: `${HOST}/o/a`,
      tags: ['app/v3'],
      status: 'failed',
      platforms: [],
      error: "release 'app/v3' cannot be checked"
    }
    const prepare = async (): Promise<Preparation> => ({
      rows: [{ plan: rendered('v1') }, { report: decided }, { plan: rendered('v2') }],
      releases: 3
    })
    const { face: f, logger } = face(TWO_IMAGES, registry, fakeTime(), { prepare })
    const outcome = await runSequence(f)
    if (outcome.kind !== 'ran') throw new Error(`not run: ${outcome.kind}`)
    expect(outcome.reports.map((r) => [r.tags[0], r.status])).toEqual([
      ['v1', 'failed'],
      ['app/v3', 'failed'],
      ['v2', 'created']
    ])
    expect(outcome.options.plans).toHaveLength(2)
    expect(logger.at('info')).toContain(`publish: ${options.plans.length} image(s), 3 release(s)`)
    expect(outcome.failure).toBe(`2 of 3 image(s) failed: ${HOST}/o/a:v1, ${HOST}/o/a:app/v3`)
    expect(outcome.exitCode).toBe(1)
  })
})

describe('cancelOnSignals', () => {
  it('cancels on the first signal and leaves with exit status 1 on the second', () => {
    const proc = new FakeProcess()
    const said: string[] = []
    const cancel = cancelOnSignals(proc, (line) => said.push(line))
    expect(cancel.signal.aborted).toBe(false)
    proc.emit('SIGTERM')
    expect(cancel.signal.aborted).toBe(true)
    expect(said).toEqual(['received SIGTERM: cancelling; no further request will be sent'])
    expect(proc.exits).toEqual([])
    proc.emit('SIGINT')
    expect(proc.exits).toEqual([1])
    expect(said).toHaveLength(1)
    cancel.dispose()
    expect(proc.listening()).toBe(0)
  })
})
