/**
 * A test token server for the distribution registry's `auth.token` mode (distribution
 * `docs/spec/auth/token.md` and `oauth.md`), on 127.0.0.1.
 *
 * GET /token  — the Docker token flow: `service`, repeated `scope`, optional `account`,
 *               optional HTTP Basic credentials.
 * POST /token — the OAuth2 form flow: `grant_type=password` (username/password) or
 *               `grant_type=refresh_token` (refresh_token), space-joined `scope`.
 *
 * Valid users get every action they ask for; anonymous GET requests get only `pull`;
 * bad credentials get 401. Tokens are RS256 JWTs with the libtrust `kid` distribution 2.8
 * looks up in its rootcertbundle.
 */
import { registerSecret } from './secrets.js'
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomUUID,
  sign,
  type KeyObject
} from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { closeHttpServer, listenLoopback } from './util.js'

/** One request the token server received, as the tests want to assert on it. */
export interface TokenRequest {
  method: string
  /** Every requested scope string, as sent (GET: one per `scope`; POST: split on spaces). */
  scopes: string[]
  /** GET `account` parameter, or POST `username`. */
  account?: string
  /** The user name from an `Authorization: Basic` header, if any. */
  basicUser?: string
  /** POST `grant_type`. */
  grantType?: string
  service?: string
  clientId?: string
  /** The status the server answered. */
  status: number
}

/** Options for {@link startTokenServer}. */
export interface TokenServerOptions {
  /** Must equal the registry's `auth.token.service`; becomes the JWT `aud`. */
  service: string
  /** Must equal the registry's `auth.token.issuer`; becomes the JWT `iss`. */
  issuer: string
  /** PEM of the RSA private key that signs tokens (its cert is the registry's rootcertbundle). */
  keyPem: string
  /** user → password. */
  users: Record<string, string>
  /** refresh token → user, accepted by POST `grant_type=refresh_token`. Added to by offline POSTs. */
  refreshTokens?: Record<string, string>
  /** When set, every POST /token answers this status (for GET-fallback tests); see setFailPostWith. */
  failPostWith?: number
  /** Token lifetime in seconds (default 300). */
  expiresIn?: number
}

/** A running token server. */
export interface TokenServer {
  /** `http://127.0.0.1:PORT`; the realm is `${url}/token`. */
  url: string
  realm: string
  service: string
  issuer: string
  /** libtrust key ID of the signing key (the JWT header `kid`). */
  keyId: string
  /** Every request received, in order. */
  requests: TokenRequest[]
  /** refresh token → user (the live map; tests may add entries). */
  refreshTokens: Record<string, string>
  /** Issues a token directly, without HTTP (anonymous when `user` is undefined). */
  issue(scopes: string[], user?: string): string
  /** From now on every POST /token answers this status (undefined: normal again). */
  setFailPostWith(status: number | undefined): void
  /**
   * From now on tokens grant only the requested scopes `grant` returns (undefined: every one):
   * a token server that reads only the first `scope` (docs/registry-quirks.md #22), say.
   */
  setGrant(grant: ((scopes: string[]) => string[]) | undefined): void
  stop(): Promise<void>
}

/** A parsed `type:name:actions` scope. */
export interface ParsedScope {
  type: string
  name: string
  actions: string[]
}

/**
 * Parses a resource scope. The type ends at the first ':', the actions start after the last
 * ':' — the name may hold a `host:port/` prefix, so it may contain ':' itself.
 */
export function parseScope(scope: string): ParsedScope | undefined {
  const first = scope.indexOf(':')
  const last = scope.lastIndexOf(':')
  if (first <= 0 || last === first) return undefined
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '')
  }
}

/**
 * The libtrust key ID of a public key, as distribution 2.8 computes it for the certs in its
 * rootcertbundle: SHA-256 over the DER SubjectPublicKeyInfo, first 240 bits, base32 without
 * padding (48 characters), in 12 groups of 4 joined by ':'.
 */
export function libtrustKeyId(key: KeyObject | string): string {
  const pub = typeof key === 'string' ? createPublicKey(key) : key
  const der = pub.export({ type: 'spki', format: 'der' })
  const b32 = base32(createHash('sha256').update(der).digest().subarray(0, 30))
  return (b32.match(/.{4}/g) ?? []).join(':')
}

function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}

/** Starts a token server on 127.0.0.1 (port chosen by the OS). */
export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  const privateKey = createPrivateKey(opts.keyPem)
  const keyId = libtrustKeyId(createPublicKey(privateKey))
  const expiresIn = opts.expiresIn ?? 300
  const requests: TokenRequest[] = []
  const refreshTokens: Record<string, string> = { ...(opts.refreshTokens ?? {}) }
  let failPostWith = opts.failPostWith
  let grant: ((scopes: string[]) => string[]) | undefined

  const issue = (scopes: string[], user?: string): string => {
    const now = Math.floor(Date.now() / 1000)
    const access = scopes
      .map(parseScope)
      .filter((s): s is ParsedScope => s !== undefined)
      .map((s) => ({
        type: s.type,
        name: s.name,
        actions: user === undefined ? s.actions.filter((a) => a === 'pull') : s.actions
      }))
      .filter((s) => s.actions.length > 0)
    const header = { typ: 'JWT', alg: 'RS256', kid: keyId }
    const claims = {
      iss: opts.issuer,
      sub: user ?? '',
      aud: opts.service,
      exp: now + expiresIn,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access
    }
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
    const signature = sign('sha256', Buffer.from(signingInput), privateKey)
    const token = `${signingInput}.${signature.toString('base64url')}`
    registerSecret(token)
    return token
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { errors: [{ code: 'UNKNOWN', message: String(err) }] })
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const basic = parseBasic(req.headers.authorization)
    const record: TokenRequest = { method: req.method ?? '', scopes: [], status: 0 }
    if (basic !== undefined) record.basicUser = basic.user
    requests.push(record)
    const answer = (status: number, body: unknown): void => {
      record.status = status
      sendJson(res, status, body)
    }

    if (url.pathname !== '/token')
      return answer(404, { errors: [{ code: 'NOT_FOUND', message: url.pathname }] })

    if (req.method === 'GET') {
      record.scopes = url.searchParams.getAll('scope').flatMap(splitScopes)
      setIf(record, 'account', url.searchParams.get('account'))
      setIf(record, 'service', url.searchParams.get('service'))
      setIf(record, 'clientId', url.searchParams.get('client_id'))
      let user: string | undefined
      if (basic !== undefined) {
        // containerd's GET fallback for identity tokens sends the refresh token as the password.
        const viaRefresh = refreshTokens[basic.password] === basic.user
        if (opts.users[basic.user] !== basic.password && !viaRefresh)
          return answer(401, unauthorized())
        user = basic.user
      }
      const token = issue(grant ? grant(record.scopes) : record.scopes, user)
      const body: Record<string, unknown> = {
        token,
        access_token: token,
        expires_in: expiresIn,
        issued_at: new Date().toISOString()
      }
      if (user !== undefined && url.searchParams.get('offline_token') === 'true') {
        body.refresh_token = newRefreshToken(user)
      }
      return answer(200, body)
    }

    if (req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req))
      record.scopes = splitScopes(form.get('scope') ?? '')
      setIf(record, 'grantType', form.get('grant_type'))
      setIf(record, 'account', form.get('username'))
      setIf(record, 'service', form.get('service'))
      setIf(record, 'clientId', form.get('client_id'))
      if (failPostWith !== undefined) {
        return answer(failPostWith, {
          errors: [{ code: 'UNSUPPORTED', message: 'POST disabled by test' }]
        })
      }
      let user: string | undefined
      if (record.grantType === 'password') {
        const name = form.get('username') ?? ''
        if (name === '' || opts.users[name] !== form.get('password'))
          return answer(401, unauthorized())
        user = name
      } else if (record.grantType === 'refresh_token') {
        user = refreshTokens[form.get('refresh_token') ?? '']
        if (user === undefined) return answer(401, unauthorized())
      } else {
        return answer(400, { error: 'unsupported_grant_type' })
      }
      const token = issue(grant ? grant(record.scopes) : record.scopes, user)
      const body: Record<string, unknown> = {
        access_token: token,
        expires_in: expiresIn,
        issued_at: new Date().toISOString(),
        scope: record.scopes.join(' ')
      }
      if (form.get('access_type') === 'offline') body.refresh_token = newRefreshToken(user)
      return answer(200, body)
    }

    return answer(405, { errors: [{ code: 'UNSUPPORTED', message: req.method ?? '' }] })
  }

  const newRefreshToken = (user: string): string => {
    const t = `refresh-${randomUUID()}`
    refreshTokens[t] = user
    return t
  }

  const port = await listenLoopback(server)
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    realm: `${url}/token`,
    service: opts.service,
    issuer: opts.issuer,
    keyId,
    requests,
    refreshTokens,
    issue,
    setGrant: (next) => {
      grant = next
    },
    setFailPostWith: (status) => {
      failPostWith = status
    },
    stop: () => closeHttpServer(server)
  }
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url')
}

function splitScopes(value: string): string[] {
  return value.split(' ').filter((s) => s !== '')
}

function setIf<K extends 'account' | 'service' | 'clientId' | 'grantType'>(
  record: TokenRequest,
  key: K,
  value: string | null
): void {
  if (value !== null) record[key] = value
}

function unauthorized(): unknown {
  return { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined
  const m = /^Basic\s+(\S+)$/i.exec(header)
  if (m === null) return undefined
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return { user: decoded, password: '' }
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    size += buf.length
    if (size > 1 << 20) throw new Error('token request body too large')
    chunks.push(buf)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body))
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': bytes.length
  }
  if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="test-token-server"'
  res.writeHead(status, headers)
  res.end(bytes)
}
