/**
 * The demo (README's first command, via script/demo): the Retina v0.0.31 incident and its
 * repair on a real registry. Starts the CNCF distribution registry on 127.0.0.1 with token
 * auth, pushes per-arch images for Retina's five components, leaves v0.0.31 without its
 * indexes, then runs dist/index.js as a runner would: verify (broken), publish (repair),
 * publish again (unchanged). skopeo checks the result independently when present.
 */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { startRegistry, type RunningRegistry } from '../support/registry.js'
import { runAction, type ActionRun } from '../support/run-action.js'
import { accessFor, pushImage, type ImageOptions } from '../support/seed.js'
import { skopeoInspectPlatform, skopeoInspectRaw } from '../support/skopeo.js'

const VERSION = 'v0.0.31'
const LINUX: ImageOptions[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' }
]
/** Retina's release at v0.0.31 (docs/registry-protocol.md A.2). */
const COMPONENTS: Array<{ name: string; platforms: ImageOptions[]; list: string }> = [
  {
    name: 'retina-agent',
    platforms: [
      ...LINUX,
      { os: 'windows', architecture: 'amd64', osVersion: '10.0.17763.7009' },
      { os: 'windows', architecture: 'amd64', osVersion: '10.0.20348.3453' }
    ],
    list: 'linux/amd64, linux/arm64, windows(ltsc2019)/amd64, windows(ltsc2022)/amd64'
  },
  { name: 'retina-init', platforms: LINUX, list: 'linux/amd64, linux/arm64' },
  { name: 'retina-operator', platforms: [LINUX[0]], list: 'linux/amd64' },
  { name: 'retina-shell', platforms: LINUX, list: 'linux/amd64, linux/arm64' },
  { name: 'kubectl-retina', platforms: LINUX, list: 'linux/amd64, linux/arm64' }
]

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

function sourceTag(p: ImageOptions): string {
  const release = p.osVersion?.includes('.17763')
    ? '-ltsc2019'
    : p.osVersion?.includes('.20348')
      ? '-ltsc2022'
      : ''
  return `${VERSION}-${p.os}${release}-${p.architecture}`
}

/** The job summary as a terminal shows it: Markdown with the HTML bits flattened. */
function readable(markdown: string): string {
  return markdown.replace(/<code title="[^"]*">([^<]*)<\/code>/g, '$1').replace(/<br>/g, ' ')
}

function show(title: string, run: ActionRun): void {
  console.log(`\n${bold(`── ${title}`)} (exit ${run.code}, status ${run.outputs.status ?? '?'})\n`)
  const log = run.stdout
    .split('\n')
    .filter(
      (l) =>
        l &&
        !l.startsWith('::add-mask::') &&
        !l.startsWith('::group::') &&
        !l.startsWith('::endgroup::')
    )
    .map((l) =>
      l
        .replace(/^::error[^:]*::/, 'ERROR ')
        .replace(/%0A/g, '\n      ')
        .replace(/%3A/g, ':')
    )
  console.log(log.map((l) => `  │ ${l}`).join('\n'))
  console.log(`\n${bold('  job summary:')}\n`)
  console.log(
    readable(run.summary)
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')
  )
}

async function main(): Promise<void> {
  const root = process.cwd()
  const entry = resolve(root, 'dist/index.js')
  let registry: RunningRegistry | undefined
  try {
    registry = await startRegistry({ auth: 'token' })
    const [username, password] = Object.entries(registry.users)[0]
    console.log(
      `${bold('registry')}: CNCF distribution on ${registry.url} (token auth; user ${username})`
    )
    const access = accessFor(registry)
    const images: string[] = []
    for (const component of COMPONENTS) {
      const repo = `microsoft/retina/${component.name}`
      for (const platform of component.platforms) {
        const pushed = await pushImage(access, repo, sourceTag(platform), platform)
        console.log(
          `pushed ${registry.host}/${repo}:${sourceTag(platform)}  ${pushed.digest.slice(0, 19)}`
        )
      }
      images.push(`${registry.host}/${repo} = ${component.list}`)
    }
    console.log(`\n${bold(`No ${VERSION} index was pushed for any component: the incident.`)}`)
    const inputs = { images: images.join('\n'), tag: VERSION, username, password }

    const verify = await runAction({ ...inputs, mode: 'verify' }, { entry })
    show('1. mode: verify — what is broken', verify)
    const publish = await runAction(inputs, { entry })
    show('2. mode: publish — the repair', publish)
    const again = await runAction(inputs, { entry })
    show('3. publish again — a re-run is safe', again)

    let skopeo = false
    try {
      execFileSync('skopeo', ['--version'], { stdio: 'ignore' })
      skopeo = true
    } catch {
      console.log('\n(skopeo not installed: skipping the independent check)')
    }
    if (skopeo) {
      console.log(`\n${bold('── 4. independent check with skopeo')}\n`)
      const creds = { username, password }
      const ref = `${registry.host}/microsoft/retina/retina-agent:${VERSION}`
      const index = await skopeoInspectRaw(ref, creds)
      console.log(`  skopeo inspect --raw ${ref}`)
      for (const m of index.manifests as Array<{
        digest: string
        platform: Record<string, string>
      }>) {
        console.log(
          `    ${m.platform.os}/${m.platform.architecture}${m.platform['os.version'] ? ` os.version ${m.platform['os.version']}` : ''}  ${m.digest}`
        )
      }
      const arm64 = await skopeoInspectPlatform(ref, 'linux', 'arm64', undefined, creds)
      console.log(`  a linux/arm64 puller gets ${arm64}`)
    }
    const ok =
      verify.code === 1 &&
      publish.code === 0 &&
      publish.outputs.status === 'created' &&
      again.outputs.status === 'unchanged'
    console.log(
      `\n${bold(ok ? 'Demo finished: broken → repaired → unchanged.' : 'Demo did not go as expected.')}`
    )
    process.exitCode = ok ? 0 : 1
  } finally {
    await registry?.stop()
  }
}

await main()
