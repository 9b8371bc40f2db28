/** What every part of one benchmark run shares: options, the registry, the proxy, credentials. */
import type { FaultProxy } from '../support/fault-proxy.js'
import type { RunningRegistry } from '../support/registry.js'
import type { RegistryAccess } from '../support/seed.js'
import type { Options } from './options.js'

export interface Ctx {
  opts: Options
  registry: RunningRegistry
  proxy: FaultProxy
  access: RegistryAccess
  username: string
  password: string
  entry: string
  scratch: string
}
