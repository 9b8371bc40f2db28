/*
 * Types for the two undici modules src/registry/transport/http.ts imports directly (undici publishes
 * types for its index only). Their shapes are those of undici's own index.d.ts.
 */
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici'
  const AgentClass: typeof Agent
  export default AgentClass
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici'
  /** Dispatcher.prototype.request: `this` is the dispatcher, `origin` and `path` are separate. */
  function request(
    this: Dispatcher,
    options: Dispatcher.RequestOptions
  ): Promise<Dispatcher.ResponseData>
  export default request
}
