/**
 * Which of the requested tools can run on this machine, with a note for each one skipped and
 * for how docker and podman are run (the report's notes).
 */
import type { Ctx } from '../context.js'
import type { Machine } from '../machine.js'
import type { Tool } from '../options.js'
import { podmanProbe } from './podman.js'

export async function availableTools(
  ctx: Ctx,
  machine: Machine,
  notes: string[]
): Promise<Set<Tool>> {
  const tools = new Set(ctx.opts.tools)
  if (tools.has('docker') && machine.docker === undefined) {
    tools.delete('docker')
    notes.push('docker: skipped, the docker CLI is not installed (`docker --version` failed).')
  }
  if (tools.has('podman')) {
    if (machine.podman === undefined) {
      tools.delete('podman')
      notes.push(
        'podman: skipped, not installed (Debian package `podman`; bench/run installs it when it can).'
      )
    } else {
      const why = await podmanProbe(ctx)
      if (why !== undefined) {
        tools.delete('podman')
        notes.push(`podman: skipped, it cannot run here: ${why}`)
      }
    }
  }

  if (tools.has('docker'))
    notes.push(
      'docker: `docker manifest create --insecure` + `docker manifest push --insecure` with a temp DOCKER_CONFIG holding the proxy\'s auths; no daemon is involved. With `--insecure` the CLI tries https first and falls back to http (the proxy answers the TLS hello with a 400 at once: not counted, no added latency); without it the CLI fails with "no such manifest". It opens a new connection for every request; the proxy adds latency per request, not per connection, so on a real network (TCP + TLS handshakes) docker would pay more than here.'
    )
  if (tools.has('podman'))
    notes.push(
      `podman: ${machine.podman}, as root (no user namespace needed), vfs storage in a temp --root/--runroot; \`manifest create\` + one \`manifest add --tls-verify=false\` of every source + \`manifest push --tls-verify=false --all=false\` per tag (podman 4.3's \`create --tls-verify=false LIST IMAGE...\` does not apply the flag to the images it adds; \`--all=false\` because the children are already in the repository, as for docker and the Action).`
    )
  return tools
}
