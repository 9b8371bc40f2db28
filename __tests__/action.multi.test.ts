/**
 * Several images in one step, and a late per-arch image, on a real registry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCountingProxy, type CountingProxy } from './helpers/counting-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import { renderGfm, tableRows } from './helpers/gfm.js'
import { accessFor, getManifest, pushImage, type RegistryAccess } from './helpers/seed.js'

let registry: RunningRegistry
let proxy: CountingProxy
let access: RegistryAccess

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  proxy = await startCountingProxy(registry.url)
  access = accessFor(registry)
})

afterAll(async () => {
  await proxy?.stop()
  await registry?.stop()
})

describe('several images', () => {
  it('publishes each with its own platforms; one failing image fails the step but not the others', async () => {
    const [username, password] = Object.entries(registry.users)[0]
    await pushImage(access, 'rel/agent', 'v2-linux-amd64', { os: 'linux', architecture: 'amd64' })
    await pushImage(access, 'rel/agent', 'v2-windows-ltsc2022-amd64', {
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.20348.3453'
    })
    await pushImage(access, 'rel/operator', 'v2-linux-amd64', {
      os: 'linux',
      architecture: 'amd64'
    })
    await pushImage(access, 'rel/shell', 'v2-linux-amd64', { os: 'linux', architecture: 'amd64' }) // arm64 missing
    const images = [
      `${proxy.host}/rel/agent = linux/amd64, windows(ltsc2022)/amd64`,
      `${proxy.host}/rel/shell`,
      `${proxy.host}/rel/operator = linux/amd64`
    ].join('\n')
    const run = await runAction({ images, tag: 'v2', username, password })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    const result = JSON.parse(run.outputs.result)
    expect(
      result.images.map((i: { image: string; status: string }) => [i.image, i.status])
    ).toEqual([
      [`${proxy.host}/rel/agent`, 'created'],
      [`${proxy.host}/rel/shell`, 'failed'],
      [`${proxy.host}/rel/operator`, 'created']
    ])
    expect(run.outputs.digest).toBe(result.images[0].digest)
    expect(result.images[1].error).toContain(
      `${proxy.host}/rel/shell:v2-linux-arm64 (linux/arm64): not found`
    )
    expect((await getManifest(access, 'rel/shell', 'v2')).status).toBe(404)
    expect((await getManifest(access, 'rel/operator', 'v2')).status).toBe(200)
    // The summary as a reader sees it: the failure first, then the two published images.
    const { tree, text } = renderGfm(run.summary)
    expect(text.split('\n')[0]).toBe('❌ v2: 2 of 3 images published, 1 failed')
    expect(tableRows(tree, 0).map((r) => r.slice(0, 2))).toEqual([
      ['Image', 'Status'],
      ['shell', '❌ failed'],
      ['agent', '✅ created'],
      ['operator', '✅ created']
    ])
    expect(text).toContain(`${proxy.host}/rel/agent@${result.images[0].digest}`)
    expect(text).toContain(`${proxy.host}/rel/operator@${result.images[2].digest}`)

    // Once the missing image is there, a re-run repairs it and leaves the others unchanged.
    await pushImage(access, 'rel/shell', 'v2-linux-arm64', { os: 'linux', architecture: 'arm64' })
    proxy.reset()
    const rerun = await runAction({ images, tag: 'v2', username, password })
    expect(rerun.code).toBe(0)
    expect(rerun.outputs.status).toBe('created')
    expect(
      JSON.parse(rerun.outputs.result).images.map((i: { status: string }) => i.status)
    ).toEqual(['unchanged', 'created', 'unchanged'])
    expect(proxy.counts()['PUT manifest']).toBe(1)
  })
})

describe('wait-timeout', () => {
  it('waits for a per-arch image that is pushed after the step started', async () => {
    const [username, password] = Object.entries(registry.users)[0]
    await pushImage(access, 'late/app', 'v3-linux-amd64', { os: 'linux', architecture: 'amd64' })
    const running = runAction({
      images: `${proxy.host}/late/app`,
      tag: 'v3',
      'wait-timeout': '30s',
      username,
      password
    })
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const late = await pushImage(access, 'late/app', 'v3-linux-arm64', {
      os: 'linux',
      architecture: 'arm64'
    })
    const run = await running
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    expect(run.stdout).toContain('waiting for 1 per-arch image(s)')
    expect(JSON.parse(run.outputs.result).images[0].platforms[1].digest).toBe(late.digest)
  })
})
