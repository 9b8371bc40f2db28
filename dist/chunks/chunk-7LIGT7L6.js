import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  TemplateSyntaxError,
  parseTemplate,
  renderTemplate
} from "./chunk-A6QXJAZB.js";
import {
  ACTION_CREDENTIAL_WORDS,
  DEFAULT_RETRY_POLICY,
  Deadline,
  MANIFEST_ACCEPT,
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  ManifestFormatError,
  SILENT_LOGGER,
  SYSTEM_CLOCK,
  SourcesError,
  Transport,
  baseMediaType,
  isManifestMediaType,
  mapBounded,
  parseImageConfig,
  parseManifest,
  realSleep,
  resolveSources,
  retry,
  selectEntry
} from "./chunk-GCG6PQYZ.js";
import {
  classifyFailure,
  header
} from "./chunk-SWRJAXB6.js";
import {
  CancelledError,
  IntegrityError,
  RegistryError
} from "./chunk-PCIAHVJB.js";
import {
  PlatformSyntaxError,
  expectedPlatformKey,
  formatPlatform,
  normalizedPlatformKey,
  parsePlatform
} from "./chunk-C2UZFPC5.js";
import {
  defaultValue,
  durationInput,
  formatDuration,
  isGiven,
  oneOf,
  parseDuration,
  splitLines,
  splitList
} from "./chunk-USHY2NMO.js";
import {
  InputError,
  PublishError
} from "./chunk-IXG4YG5H.js";
import {
  DOCKER_HUB,
  ReferenceSyntaxError,
  formatReference,
  isValidTag,
  parseReference,
  parseRepository,
  repositoryName
} from "./chunk-HJGTKYEE.js";
import {
  cancellingLine,
  failureLine
} from "./chunk-2CHJVI7H.js";
import {
  isDigest,
  sha256Digest
} from "./chunk-WGTGFSMG.js";
import {
  neutralise
} from "./chunk-QZHQZAVZ.js";

// src/oci/index-document.ts
var IndexBuildError = class extends Error {
  name = "IndexBuildError";
};
function sortedRecord(record) {
  if (!record || Object.keys(record).length === 0) return void 0;
  const out = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}
function canonicalPlatform(p) {
  const out = { architecture: p.architecture, os: p.os };
  if (p["os.version"]) out["os.version"] = p["os.version"];
  if (p["os.features"] && p["os.features"].length > 0) out["os.features"] = [...p["os.features"]];
  if (p.variant) out.variant = p.variant;
  return out;
}
function canonicalDescriptor(d, allowAnnotations) {
  const out = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  const annotations = sortedRecord(d.annotations);
  if (annotations && allowAnnotations) out.annotations = annotations;
  if (d.platform) out.platform = canonicalPlatform(d.platform);
  return out;
}
function buildIndexDocument(mediaType, entries, annotations) {
  const docker = mediaType === MEDIA_TYPE_DOCKER_LIST;
  const indexAnnotations = sortedRecord(annotations);
  if (docker && indexAnnotations) {
    throw new IndexBuildError(
      "a Docker manifest list cannot carry annotations; use media-type: oci"
    );
  }
  if (docker && entries.some((e) => sortedRecord(e.annotations))) {
    throw new IndexBuildError(
      "a Docker manifest list cannot carry entry annotations (attestation manifests need them); use media-type: oci"
    );
  }
  const document = {
    schemaVersion: 2,
    mediaType,
    manifests: entries.map((e) => canonicalDescriptor(e, !docker))
  };
  if (indexAnnotations) document.annotations = indexAnnotations;
  const bytes = Buffer.from(JSON.stringify(document, null, 2) + "\n", "utf8");
  return { mediaType, document, bytes, digest: sha256Digest(bytes), size: bytes.length };
}

// src/publish/assemble.ts
function chooseIndexMediaType(choice, entries) {
  if (choice === "oci") return MEDIA_TYPE_OCI_INDEX;
  if (choice === "docker") return MEDIA_TYPE_DOCKER_LIST;
  return entries.every((e) => e.mediaType === MEDIA_TYPE_DOCKER_MANIFEST) ? MEDIA_TYPE_DOCKER_LIST : MEDIA_TYPE_OCI_INDEX;
}
function indexEntries(sources) {
  return sources.flatMap((s) => [s.entry, ...s.attestations]);
}
function assembleIndex(sources, choice, annotations) {
  const entries = indexEntries(sources);
  const mediaType = chooseIndexMediaType(choice, entries);
  try {
    return buildIndexDocument(mediaType, entries, annotations);
  } catch (error) {
    if (error instanceof IndexBuildError) {
      const why = choice === "auto" ? `${error.message} (media-type auto chose a Docker list because every source is a Docker v2 manifest)` : error.message;
      throw new PublishError("INDEX_INVALID", `cannot build the index: ${why}; nothing was written`);
    }
    throw error;
  }
}

// src/registry/api/rate-limit.ts
function parseQuota(value) {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === void 0) return void 0;
  const match = /^\s*(\d{1,9})\s*(?:;\s*w\s*=\s*(\d{1,9})\s*)?(?:;.*)?$/.exec(text);
  if (!match) return void 0;
  const count = Number(match[1]);
  return match[2] === void 0 ? { count } : { count, window: Number(match[2]) };
}
function parseRateLimit(headers) {
  const limit = parseQuota(headers["ratelimit-limit"]);
  const remaining = parseQuota(headers["ratelimit-remaining"]);
  if (!limit || !remaining) return void 0;
  const window = remaining.window ?? limit.window;
  return {
    limit: limit.count,
    remaining: remaining.count,
    ...window === void 0 ? {} : { windowSeconds: window }
  };
}
var RateLimitTracker = class {
  seen = /* @__PURE__ */ new Map();
  observe(registry, headers) {
    const stated = parseRateLimit(headers);
    if (!stated) return;
    const before = this.seen.get(registry);
    if (!before || stated.remaining <= before.remaining) this.seen.set(registry, stated);
  }
  /** What `registry` said last about its limit, if it ever did. */
  get(registry) {
    return this.seen.get(registry);
  }
};

// src/registry/api/client.ts
var MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
var MAX_CONFIG_BYTES = 8 * 1024 * 1024;
function repositoryScope(repository, access) {
  return `repository:${repository}:${access}`;
}
var RepositoryClient = class {
  constructor(transport, registry, repository, access, rateLimits) {
    this.transport = transport;
    this.registry = registry;
    this.repository = repository;
    this.rateLimits = rateLimits;
    this.scope = repositoryScope(repository, access);
  }
  transport;
  registry;
  repository;
  rateLimits;
  scope;
  describe(ref) {
    return formatReference({
      registry: this.registry,
      repository: this.repository,
      ...ref.includes(":") ? { digest: ref } : { tag: ref }
    });
  }
  manifestPath(ref) {
    return `/v2/${this.repository}/manifests/${encodeURIComponent(ref).replace(/%3A/gi, ":")}`;
  }
  /** GET a manifest by tag or digest; undefined when the registry says 404. */
  async getManifest(ref) {
    const target = this.describe(ref);
    const response = await this.transport.send({
      registry: this.registry,
      method: "GET",
      path: this.manifestPath(ref),
      headers: { accept: MANIFEST_ACCEPT.join(", ") },
      scope: this.scope,
      context: { operation: "GET manifest", target },
      accept: [200, 404],
      maxBodyBytes: MAX_MANIFEST_BYTES
    });
    this.rateLimits?.observe(this.registry, response.headers);
    if (response.status === 404) return void 0;
    const bytes = response.body;
    const digest = sha256Digest(bytes);
    const served = header(response.headers, "docker-content-digest");
    if (served?.startsWith("sha256:") && served !== digest) {
      throw new IntegrityError(
        "DIGEST_MISMATCH",
        `GET manifest ${target}: Docker-Content-Digest ${neutralise(served)} but the bytes hash to ${digest}`
      );
    }
    if (ref.startsWith("sha256:") && ref !== digest) {
      throw new IntegrityError(
        "DIGEST_MISMATCH",
        `GET manifest ${target}: asked for ${ref}, the bytes hash to ${digest}`
      );
    }
    let parsed;
    try {
      parsed = parseManifest(bytes, header(response.headers, "content-type"));
    } catch (error) {
      if (error instanceof ManifestFormatError) {
        throw new IntegrityError("BAD_DOCUMENT", `GET manifest ${target}: ${error.message}`);
      }
      throw error;
    }
    return { digest, mediaType: parsed.mediaType, size: bytes.length, bytes, parsed };
  }
  /**
   * HEAD a manifest; undefined on 404. A registry that leaves out Docker-Content-Digest or a
   * usable Content-Type gets a GET instead (containerd's resolver does the same;
   * docs/registry-quirks.md rows 33 and 35).
   *
   * `existenceCheck`: the HEAD only asks whether a tag is there before a PUT decides; a 403
   * then means "absent" too (docs/registry-quirks.md #33: Artifactory virtual repositories
   * answer 403 for a missing tag; go-containerregistry's pusher treats it so). The PUT that
   * follows still fails on a real lack of access.
   */
  async headManifest(ref, options = {}) {
    const target = this.describe(ref);
    const response = await this.transport.send({
      registry: this.registry,
      method: "HEAD",
      path: this.manifestPath(ref),
      headers: { accept: MANIFEST_ACCEPT.join(", ") },
      scope: this.scope,
      context: { operation: "HEAD manifest", target },
      accept: options.existenceCheck === true ? [200, 403, 404] : [200, 404]
    });
    this.rateLimits?.observe(this.registry, response.headers);
    if (response.status === 404 || response.status === 403) return void 0;
    const served = header(response.headers, "docker-content-digest");
    const digest = served !== void 0 && isDigest(served) ? served : void 0;
    const mediaType = baseMediaType(header(response.headers, "content-type"));
    const size = Number(header(response.headers, "content-length"));
    if (!digest || !isManifestMediaType(mediaType) || !Number.isSafeInteger(size) || size < 0) {
      const fetched = await this.getManifest(ref);
      return fetched && { digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.size };
    }
    return { digest, mediaType, size };
  }
  /**
   * GET a blob (an image config), following redirects to storage hosts without our
   * Authorization header, and check its digest.
   */
  async getBlob(digest, maxBytes = MAX_CONFIG_BYTES) {
    const target = formatReference({ registry: this.registry, repository: this.repository, digest });
    const response = await this.transport.send({
      registry: this.registry,
      method: "GET",
      path: `/v2/${this.repository}/blobs/${digest}`,
      scope: this.scope,
      context: { operation: "GET blob", target },
      accept: [200],
      followRedirects: true,
      maxBodyBytes: maxBytes
    });
    if (digest.startsWith("sha256:") && sha256Digest(response.body) !== digest) {
      throw new IntegrityError(
        "DIGEST_MISMATCH",
        `GET blob ${target}: the bytes hash to ${sha256Digest(response.body)}`
      );
    }
    return response.body;
  }
  /**
   * HEAD a blob (end-2): its size, or undefined on 404. Redirects are followed as for GET
   * (distribution answers HEAD with a redirect to storage too when redirects are enabled).
   * `size` is -1 when the registry sends no Content-Length.
   */
  async headBlob(digest) {
    const target = formatReference({ registry: this.registry, repository: this.repository, digest });
    const response = await this.transport.send({
      registry: this.registry,
      method: "HEAD",
      path: `/v2/${this.repository}/blobs/${digest}`,
      scope: this.scope,
      context: { operation: "HEAD blob", target },
      accept: [200, 404],
      followRedirects: true
    });
    if (response.status === 404) return void 0;
    const size = Number(header(response.headers, "content-length") ?? Number.NaN);
    return { size: Number.isSafeInteger(size) && size >= 0 ? size : -1 };
  }
  /**
   * The repository's tags (end-8), following `Link` pagination up to `maxPages`; sorted and
   * without duplicates; an unknown repository has none. See tags-list.ts (loaded on first
   * use, like blob-copy.ts: only some runs list tags or copy blobs, and what a run does not
   * use is not compiled at its start; README, Performance).
   */
  async listTags(options = {}) {
    const { listTags } = await import("./tags-list-WE2JAQKD.js");
    return listTags(this, options);
  }
  /**
   * Make `blob` exist in this repository (the target; access `pull,push`), taking it from
   * `source`: 'exists' when it is already here, 'mounted' by a cross-repository mount on the
   * same registry, 'copied' by a streamed copy. See blob-copy.ts.
   */
  async copyBlob(source, blob) {
    const { copyBlob } = await import("./blob-copy-O6MM35E2.js");
    return copyBlob(this, source, blob);
  }
  /**
   * PUT exactly these bytes under a tag or digest (end-7a). Content-Type is the document's
   * media type (distribution-spec: clients MUST set it to the mediaType field). The spec says
   * 201; any success status is taken, as containerd's pusher does (docs/registry-quirks.md #36),
   * and when the registry sends Docker-Content-Digest it must equal our digest.
   */
  async putManifest(ref, mediaType, bytes) {
    const target = this.describe(ref);
    const digest = sha256Digest(bytes);
    const response = await this.transport.send({
      registry: this.registry,
      method: "PUT",
      path: this.manifestPath(ref),
      headers: { "content-type": mediaType },
      body: bytes,
      scope: this.scope,
      context: { operation: "PUT manifest", target },
      accept: [200, 201, 202, 204]
    });
    const served = header(response.headers, "docker-content-digest");
    if (served && served !== digest) {
      throw new IntegrityError(
        "DIGEST_MISMATCH",
        `PUT manifest ${target}: the registry stored ${neutralise(served)}, we sent ${digest}`
      );
    }
    return digest;
  }
};
var RegistryClient = class {
  constructor(transport) {
    this.transport = transport;
  }
  transport;
  /** The pull-limit headers seen on manifest reads, per registry (docs/registry-quirks.md #37). */
  rateLimits = new RateLimitTracker();
  /** A client for `ref`'s repository with the given access. */
  repository(ref, access) {
    return new RepositoryClient(
      this.transport,
      ref.registry,
      ref.repository,
      access,
      this.rateLimits
    );
  }
};

// src/registry/credentials/credential-chain.ts
import { readFile } from "node:fs/promises";

// src/registry/credentials/helper-environment.ts
var NAMES = new Set(
  [
    // Where programs and per-user configuration are found (POSIX).
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "TMPDIR",
    "LANG",
    "TZ",
    "DOCKER_CONFIG",
    // Windows: where the system, the user's profile and its config live; PATHEXT.
    "PATHEXT",
    "SYSTEMROOT",
    "SYSTEMDRIVE",
    "WINDIR",
    "COMSPEC",
    "USERPROFILE",
    "USERNAME",
    "HOMEDRIVE",
    "HOMEPATH",
    "APPDATA",
    "LOCALAPPDATA",
    "PROGRAMDATA",
    "PROGRAMFILES",
    "PROGRAMFILES(X86)",
    "TEMP",
    "TMP",
    // Reaching the network as everything else on the machine does.
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR"
  ].map((name) => name.toUpperCase())
);
var PREFIXES = ["XDG_", "LC_", "AWS_", "CLOUDSDK_", "GOOGLE_", "AZURE_"];
var DENIED_PREFIXES = ["INPUT_", "ACTIONS_"];
var DENIED = /* @__PURE__ */ new Set(["GITHUB_TOKEN"]);
function isHelperVariable(name) {
  const upper = name.toUpperCase();
  if (DENIED.has(upper) || DENIED_PREFIXES.some((p) => upper.startsWith(p))) return false;
  return NAMES.has(upper) || PREFIXES.some((p) => upper.startsWith(p));
}
function helperEnvironment(env) {
  const out = {};
  for (const [name, value] of Object.entries(env))
    if (value !== void 0 && isHelperVariable(name)) out[name] = value;
  return out;
}

// src/registry/credentials/credential-helper.ts
var DEFAULT_HELPER_TIMEOUT_MS = 1e4;
var CredentialHelperError = class extends Error {
  name = "CredentialHelperError";
  code = "CREDENTIAL_HELPER_FAILED";
};
async function runCredentialHelper(exec, helper, server, source, timeoutMs = DEFAULT_HELPER_TIMEOUT_MS, env = {}) {
  if (!/^[A-Za-z0-9._-]+$/.test(helper))
    throw new CredentialHelperError(`${source}: '${helper}' is not a credential helper name`);
  const program = `docker-credential-${helper}`;
  const result = await exec(program, ["get"], {
    input: server,
    timeoutMs,
    env: helperEnvironment(env)
  });
  if (result.timedOut) {
    throw new CredentialHelperError(
      `${source}: ${program} did not answer within ${timeoutMs / 1e3}s and was stopped`
    );
  }
  const said = `${result.stdout}
${result.stderr}`;
  if (result.exitCode !== 0) {
    if (/credentials not found/i.test(said)) return void 0;
    if (result.exitCode === 127)
      throw new CredentialHelperError(`${source}: ${program} could not be run (is it on PATH?)`);
    const line = said.trim().split("\n")[0]?.slice(0, 200) ?? "";
    throw new CredentialHelperError(
      `${source}: ${program} failed (exit ${result.exitCode})${line ? `: ${line}` : ""}`
    );
  }
  let body;
  try {
    body = JSON.parse(result.stdout);
  } catch {
    throw new CredentialHelperError(`${source}: ${program} did not print JSON`);
  }
  const record = typeof body === "object" && body !== null ? body : {};
  const username = typeof record.Username === "string" ? record.Username : "";
  const secret = typeof record.Secret === "string" ? record.Secret : "";
  if (!secret) return void 0;
  if (username === "<token>")
    return { username: "", password: secret, kind: "identity-token", source };
  return { username, password: secret, kind: "password", source };
}

// src/registry/credentials/docker-config.ts
import { join } from "node:path";
var DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";
function dockerConfigPath(env) {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, "config.json");
  const home = env.HOME ?? env.USERPROFILE;
  return home ? join(home, ".docker", "config.json") : void 0;
}
function parseDockerConfig(text, path) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new Error(`the Docker config ${path} is not valid JSON: ${error.message}`, {
      cause: error
    });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new Error(`the Docker config ${path} is not a JSON object`);
  const record = body;
  const config = {};
  if (typeof record.auths === "object" && record.auths !== null)
    config.auths = record.auths;
  if (typeof record.credHelpers === "object" && record.credHelpers !== null)
    config.credHelpers = record.credHelpers;
  if (typeof record.credsStore === "string" && record.credsStore)
    config.credsStore = record.credsStore;
  return config;
}
function configKeyHost(key) {
  let host = key.trim();
  if (host.startsWith("http://")) host = host.slice("http://".length);
  else if (host.startsWith("https://")) host = host.slice("https://".length);
  return host.split("/")[0].toLowerCase();
}
function sameRegistryHosts(registry) {
  if (registry === DOCKER_HUB) return ["index.docker.io", "docker.io", "registry-1.docker.io"];
  return [registry.toLowerCase()];
}
function serverAddress(registry) {
  return registry === DOCKER_HUB ? DOCKER_HUB_CONFIG_KEY : registry;
}
function findAuthEntry(config, registry) {
  const auths = config.auths ?? {};
  const exact = serverAddress(registry);
  if (auths[exact]) return [exact, auths[exact]];
  const hosts = sameRegistryHosts(registry);
  const key = Object.keys(auths).find((k) => hosts.includes(configKeyHost(k)));
  return key === void 0 ? void 0 : [key, auths[key]];
}
function findHelper(config, registry) {
  const helpers = config.credHelpers ?? {};
  const hosts = sameRegistryHosts(registry);
  const key = Object.keys(helpers).find((k) => hosts.includes(configKeyHost(k)));
  if (key !== void 0 && helpers[key]) return { helper: helpers[key], via: "credHelpers", key };
  if (config.credsStore) return { helper: config.credsStore, via: "credsStore" };
  return void 0;
}
function credentialsFromEntry(entry, source) {
  if (entry.registrytoken)
    return { username: "", password: entry.registrytoken, kind: "registry-token", source };
  let username = entry.username ?? "";
  let password = entry.password ?? "";
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new Error(`${source}: 'auth' is not base64 of user:password`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (entry.identitytoken)
    return { username, password: entry.identitytoken, kind: "identity-token", source };
  if (!username && !password) return void 0;
  return { username, password, kind: "password", source };
}

// src/registry/credentials/find-executable.ts
import { accessSync, constants, statSync } from "node:fs";
import { posix, win32 } from "node:path";
var DEFAULT_PATHEXT = ".COM;.EXE";
var SCRIPT_EXTENSIONS = /* @__PURE__ */ new Set([".bat", ".cmd"]);
function defaultIsExecutable(platform) {
  return (path) => {
    try {
      if (!statSync(path).isFile()) return false;
      if (platform !== "win32") accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
}
function variable(env, name, platform) {
  if (platform !== "win32") return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === void 0 ? void 0 : env[key];
}
function findExecutable(name, options) {
  const platform = options.platform ?? process.platform;
  const path = platform === "win32" ? win32 : posix;
  const isExecutable = options.isExecutable ?? defaultIsExecutable(platform);
  const dirs = (variable(options.env, "PATH", platform) ?? "").split(path.delimiter).map((dir) => platform === "win32" ? dir.replace(/^"(.*)"$/, "$1") : dir).filter((dir) => dir !== "" && path.isAbsolute(dir));
  const extensions = platform === "win32" ? (variable(options.env, "PATHEXT", platform) ?? DEFAULT_PATHEXT).split(";").map((ext) => ext.trim().toLowerCase()).filter((ext) => ext.startsWith(".") && !SCRIPT_EXTENSIONS.has(ext)) : [""];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return void 0;
}

// src/registry/credentials/exec.ts
var spawnExec = async (command, args, options) => {
  const env = options.env ?? process.env;
  const program = /[\\/]/.test(command) ? command : findExecutable(command, { env });
  if (program === void 0)
    return { exitCode: 127, stdout: "", stderr: `${command}: not found on PATH`, timedOut: false };
  return spawnProgram(program, args, { ...options, env });
};
var spawnProgram = async (command, args, options) => {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let settled = false;
    const group = process.platform !== "win32";
    const child = spawn(command, [...args], {
      stdio: ["pipe", "pipe", "pipe"],
      env: options.env ?? process.env,
      detached: group
    });
    const finish = (exitCode) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr, timedOut });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (group && child.pid !== void 0) process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      setTimeout(() => {
        finish(null);
        child.stdout.destroy();
        child.stderr.destroy();
        child.stdin.destroy();
      }, 500).unref();
    }, options.timeoutMs);
    child.stdout.on("data", (chunk) => stdout += chunk.toString("utf8"));
    child.stderr.on("data", (chunk) => stderr += chunk.toString("utf8"));
    child.on("error", (error) => {
      stderr += error.message;
      finish(127);
    });
    child.on("close", (code) => finish(code));
    child.stdin.on("error", () => void 0);
    child.stdin.end(options.input);
  });
};

// src/registry/credentials/credential-chain.ts
async function readOptional(read, path) {
  try {
    return await read(path);
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new Error(`cannot read the Docker config ${path}: ${error.message}`, {
      cause: error
    });
  }
}
function credentialChain(options) {
  const env = options.env ?? {};
  const exec = options.exec ?? spawnExec;
  const read = options.readText ?? ((path2) => readFile(path2, "utf8"));
  const logger = options.logger ?? SILENT_LOGGER;
  const hear = options.onSecret ?? (() => void 0);
  const onSecret = (secret) => {
    if (secret) hear(secret);
  };
  const reveal = (credentials) => {
    if (credentials?.password) onSecret(credentials.password);
    return credentials;
  };
  const path = dockerConfigPath(env);
  let config;
  const loadConfig = () => config ??= (async () => {
    if (!path) return void 0;
    const text = await readOptional(read, path);
    if (text === void 0) return void 0;
    const parsed = parseDockerConfig(text, path);
    for (const entry of Object.values(parsed.auths ?? {})) {
      for (const secret of [entry.auth, entry.password, entry.identitytoken, entry.registrytoken])
        if (secret) onSecret(secret);
      if (entry.auth)
        onSecret(Buffer.from(entry.auth, "base64").toString("utf8").split(":").slice(1).join(":"));
    }
    return parsed;
  })();
  return async (registry) => {
    if (options.password && options.targetRegistries.includes(registry)) {
      return reveal({
        username: options.username || "oauth2",
        password: options.password,
        kind: "password",
        source: (options.words ?? ACTION_CREDENTIAL_WORDS).given
      });
    }
    const file = await loadConfig();
    if (file && path) {
      const helper = findHelper(file, registry);
      if (helper) {
        const source = `the Docker config ${path} (${helper.via === "credHelpers" ? `credHelpers[${helper.key ?? registry}]` : "credsStore"}: docker-credential-${helper.helper})`;
        const found = await runCredentialHelper(
          exec,
          helper.helper,
          serverAddress(registry),
          source,
          options.helperTimeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS,
          env
        );
        if (found) return reveal(found);
        logger.debug(`${source}: no credentials for ${registry}`);
      }
      const entry = findAuthEntry(file, registry);
      if (entry) {
        const found = credentialsFromEntry(
          entry[1],
          `the Docker config ${path} (auths[${entry[0]}])`
        );
        if (found) return reveal(found);
      }
    }
    if (registry === "ghcr.io" && options.githubToken) {
      return reveal({
        username: "x-access-token",
        password: options.githubToken,
        kind: "password",
        source: (options.words ?? ACTION_CREDENTIAL_WORDS).githubToken
      });
    }
    return void 0;
  };
}

// src/publish/session.ts
function targetAccess(mode) {
  return mode === "publish" ? "pull,push" : "pull";
}
function stepScopes(options) {
  const byRegistry = /* @__PURE__ */ new Map();
  const add = (registry, scope) => {
    let scopes = byRegistry.get(registry);
    if (!scopes) byRegistry.set(registry, scopes = /* @__PURE__ */ new Set());
    scopes.add(scope);
  };
  for (const plan of options.plans) {
    add(plan.image.registry, repositoryScope(plan.image.repository, targetAccess(options.mode)));
    for (const { reference } of plan.sources) {
      const elsewhere = reference.registry !== plan.image.registry || reference.repository !== plan.image.repository;
      if (elsewhere) add(reference.registry, repositoryScope(reference.repository, "pull"));
    }
  }
  return new Map([...byRegistry].map(([registry, scopes]) => [registry, [...scopes]]));
}
function openSession(options, overrides = {}) {
  const clock = overrides.clock ?? SYSTEM_CLOCK;
  const logger = overrides.logger ?? SILENT_LOGGER;
  const credentials = overrides.credentials ?? credentialChain({
    targetRegistries: [...new Set(options.plans.map((p) => p.image.registry))],
    username: options.username,
    password: options.password,
    githubToken: options.githubToken,
    env: overrides.env,
    exec: overrides.exec,
    onSecret: overrides.onSecret,
    helperTimeoutMs: overrides.helperTimeoutMs,
    logger,
    words: overrides.credentialWords
  });
  const deadline = new Deadline(
    clock.now() + options.timeoutMs,
    clock,
    overrides.sleep ?? realSleep,
    overrides.signal
  );
  const random = overrides.random ?? Math.random;
  const transport = new Transport({
    dispatcher: overrides.dispatcher,
    clock,
    random,
    logger,
    policy: overrides.policy,
    credentials,
    insecureRegistries: options.insecureRegistries,
    deadline,
    concurrency: overrides.concurrency,
    howToLogIn: overrides.credentialWords?.howToLogIn
  });
  for (const [registry, scopes] of stepScopes(options)) transport.auth.shareScopes(registry, scopes);
  return {
    client: new RegistryClient(transport),
    transport,
    clock,
    deadline,
    random,
    logger,
    close: () => transport.close()
  };
}

// src/publish/put-refusal.ts
function classifyPutRefusal(error) {
  if (!(error instanceof RegistryError)) return void 0;
  const { status } = error;
  if (status === 400 && error.hasCode("TAG_INVALID"))
    return {
      kind: "immutable",
      rule: "ECR's tag immutability (the repository's image tag mutability is IMMUTABLE)"
    };
  if (status === 412)
    return { kind: "immutable", rule: "a Harbor tag immutability rule of the project" };
  if (status === 405 && error.hasCode("UNSUPPORTED"))
    return {
      kind: "content",
      rule: "the registry does not accept this manifest (405 UNSUPPORTED, as ECR answers)"
    };
  if (status === 405)
    return {
      kind: "immutable",
      rule: "a lock on the repository or tag (ACR: write-enabled is false)"
    };
  if (status === 415)
    return { kind: "content", rule: "the registry does not accept this media type (415)" };
  if (status === 400 && error.hasCode("MANIFEST_INVALID"))
    return {
      kind: "immutable-or-content",
      immutableRule: "the repository's tag immutability (Artifact Registry refuses to move a tag with 400 MANIFEST_INVALID)",
      contentRule: "the registry does not accept this manifest (400 MANIFEST_INVALID)"
    };
  return void 0;
}
function mediaTypeAdvice(sent) {
  if (sent === MEDIA_TYPE_DOCKER_LIST)
    return "set the input media-type: oci (zot takes Docker media types only with http.compat: [docker2s2]; ECR and GitLab check media types too)";
  if (sent === MEDIA_TYPE_OCI_INDEX)
    return "set the input media-type: docker, possible when every per-arch image is a Docker v2 manifest (self-hosted Quay takes OCI only with FEATURE_GENERAL_OCI_SUPPORT, and older Quay refuses an OCI index of Docker manifests)";
  return "check which media types the registry accepts";
}

// src/publish/push.ts
var BLOB_UNKNOWN_POLICY = {
  baseMs: 1e3,
  capMs: 2e3,
  jitter: "none",
  tries: 3
};
async function missingChildren(repo, index) {
  const heads = await mapBounded(index.document.manifests, 8, (d) => repo.headManifest(d.digest));
  return index.document.manifests.filter((_, i) => !heads[i]).map((d) => d.digest);
}
async function putTag(ctx, index, tag) {
  const { repo, logger } = ctx;
  const ref = formatReference({ registry: repo.registry, repository: repo.repository, tag });
  const outcome = await retry(() => putOnce(ctx, index, tag, ref), {
    what: `PUT manifest ${ref}`,
    policy: BLOB_UNKNOWN_POLICY,
    deadline: ctx.deadline,
    random: ctx.random,
    again: (put) => typeof put === "object" ? "MANIFEST_BLOB_UNKNOWN" : void 0,
    observer: {
      retrying: (event) => logger.info(
        `${ref}: MANIFEST_BLOB_UNKNOWN although every child exists (registry lag); PUT again in ${event.delayMs / 1e3}s (${event.attempt} of ${BLOB_UNKNOWN_POLICY.tries - 1})`
      )
    }
  });
  if (typeof outcome === "object") throw outcome.lagging;
  return outcome;
}
async function putOnce(ctx, index, tag, ref) {
  const { repo, logger } = ctx;
  try {
    await repo.putManifest(tag, index.mediaType, index.bytes);
    return "pushed";
  } catch (error) {
    const refusal = classifyPutRefusal(error);
    if (refusal) return refused(ctx, index, ref, tag, error, refusal);
    if (error instanceof RegistryError && error.hasCode("MANIFEST_BLOB_UNKNOWN")) {
      const missing = await missingChildren(repo, index);
      if (missing.length > 0) {
        throw new PublishError(
          "CHILD_MISSING",
          `${ref}: the registry refused the index (MANIFEST_BLOB_UNKNOWN) and these children are gone from ${repo.repository}`,
          missing
        );
      }
      return { lagging: error };
    }
    if (classifyFailure(error).kind === "may-have-landed") {
      const head = await repo.headManifest(tag).catch(() => void 0);
      if (head?.digest === index.digest) {
        logger.info(`${ref}: the PUT's answer was lost, but the tag holds ${index.digest}`);
        return "pushed";
      }
    }
    throw error;
  }
}
async function refused(ctx, index, ref, tag, error, refusal) {
  const { repo, logger } = ctx;
  const answer = error.code ?? String(error.status);
  const head = await repo.headManifest(tag, { existenceCheck: true });
  if (head?.digest === index.digest) {
    logger.info(
      `${ref}: the registry refuses to overwrite the tag (${answer}), and it already holds ${index.digest}`
    );
    return "already";
  }
  const immutable = refusal.kind === "immutable" || refusal.kind === "immutable-or-content" && head !== void 0;
  if (immutable) {
    const rule2 = refusal.kind === "immutable" ? refusal.rule : refusal.immutableRule;
    throw new PublishError(
      "TAG_IMMUTABLE",
      `${ref} is immutable on this registry (${answer}), which points at ${rule2}; it holds ${head ? head.digest : "nothing readable"}, not the new index ${index.digest}. Push under a new tag, or allow the tag to be overwritten on the registry (the registry answered: ${error.message})`
    );
  }
  const rule = refusal.kind === "content" ? refusal.rule : refusal.contentRule;
  throw new PublishError(
    "MEDIA_TYPE_REFUSED",
    `${ref}: ${rule}: ${error.message}. The index is ${index.mediaType}; ${mediaTypeAdvice(index.mediaType)}`
  );
}
async function pushTags(ctx, index, decisions, progress = {}) {
  return Promise.all(
    decisions.map(async (decision) => {
      if (decision.action === "nothing") return decision;
      progress.started?.(decision.tag);
      const outcome = await putTag(ctx, index, decision.tag);
      progress.pushed?.(decision.tag);
      return outcome === "already" ? { ...decision, action: "nothing" } : decision;
    })
  );
}

// src/publish/tags.ts
async function readTags(repo, tags) {
  const heads = await Promise.all(
    tags.map((tag) => repo.headManifest(tag, { existenceCheck: true }))
  );
  return new Map(tags.map((tag, i) => [tag, heads[i]]));
}
function decideTags(repo, heads, digest, onExisting) {
  const decisions = [...heads].map(([tag, current]) => ({
    tag,
    current,
    action: !current ? "create" : current.digest === digest ? "nothing" : "update"
  }));
  const refused2 = decisions.filter(
    (d, i) => i === 0 && d.action === "update" && onExisting === "keep"
  );
  if (refused2.length > 0) {
    throw new PublishError(
      "TAG_HOLDS_OTHER",
      `on-existing is keep and ${refused2.length === 1 ? "a tag holds" : "tags hold"} a different manifest; nothing was written`,
      refused2.map(
        (d) => `${formatReference({ registry: repo.registry, repository: repo.repository, tag: d.tag })} holds ${d.current.digest}, the new index is ${digest}`
      )
    );
  }
  return decisions;
}
async function describeChange(repo, previousDigest, entries) {
  const previous = await repo.getManifest(previousDigest);
  if (!previous) return void 0;
  const before = /* @__PURE__ */ new Map();
  if (previous.parsed.kind === "index") {
    for (const d of previous.parsed.document.manifests)
      if (d.platform) before.set(formatPlatform(d.platform), d.digest);
  } else {
    before.set("(a single-platform manifest)", previous.digest);
  }
  const after = new Map(
    entries.filter((d) => d.platform).map((d) => [formatPlatform(d.platform), d.digest])
  );
  const change = { added: [], removed: [], changed: [] };
  for (const [platform, digest] of after) {
    if (!before.has(platform)) change.added.push(platform);
    else if (before.get(platform) !== digest) change.changed.push(platform);
  }
  for (const platform of before.keys()) if (!after.has(platform)) change.removed.push(platform);
  return change;
}
var CONFIRM_POLICY = {
  baseMs: 250,
  capMs: 4e3,
  jitter: "none",
  tries: 6
};
async function confirmTags(repo, timing, index, tags, sources) {
  const problems = [];
  await Promise.all(
    tags.map(async (tag) => {
      const ref = formatReference({ registry: repo.registry, repository: repo.repository, tag });
      const head = await retry(() => repo.headManifest(tag), {
        what: `confirming ${ref}`,
        policy: CONFIRM_POLICY,
        ...timing,
        again: (read) => read?.digest === index.digest ? void 0 : "not our digest yet"
      });
      if (head?.digest !== index.digest) {
        problems.push(
          `${ref} answers ${head ? head.digest : "not found"} after the push of ${index.digest}`
        );
      }
    })
  );
  for (const s of sources) {
    const chosen = selectEntry(index.document.manifests, s.entry.platform);
    if (chosen?.digest !== s.entry.digest) {
      problems.push(
        `a puller on ${formatPlatform(s.entry.platform)} would get ${chosen ? chosen.digest : "nothing"} instead of ${s.entry.digest} (${s.source})`
      );
    }
  }
  if (problems.length > 0)
    throw new PublishError(
      "CONFIRM_FAILED",
      "the pushed index does not read back as intended",
      problems
    );
}

// src/publish/import-sources.ts
var BLOB_CONCURRENCY = 4;
function isForeign(source, target) {
  return repositoryName(source.origin) !== repositoryName(target);
}
function foreignManifests(sources, target) {
  return sources.filter((s) => isForeign(s, target)).flatMap((s) => [s.entry, ...s.attestations].map((manifest) => ({ source: s, manifest })));
}
async function importManifest(target, origin, digest, logger) {
  if (await target.headManifest(digest)) return "present";
  const fetched = await origin.getManifest(digest);
  const from = formatReference({ registry: origin.registry, repository: origin.repository, digest });
  if (!fetched)
    throw new PublishError(
      "CHILD_MISSING",
      `${from} disappeared before it could be copied into ${repositoryName(target)}`
    );
  const parsed = parseManifest(fetched.bytes, fetched.mediaType);
  if (parsed.kind !== "image")
    throw new PublishError("SOURCE_INVALID", `${from} is an index; only image manifests are copied`);
  const blobs = [parsed.document.config, ...parsed.document.layers];
  const outcomes = await mapBounded(
    blobs,
    BLOB_CONCURRENCY,
    (blob) => target.copyBlob(origin, { digest: blob.digest, size: blob.size })
  );
  const tally = outcomes.reduce(
    (acc, o) => ({ ...acc, [o]: (acc[o] ?? 0) + 1 }),
    {}
  );
  await target.putManifest(digest, fetched.mediaType, fetched.bytes);
  logger.info(
    `${from} \u2192 ${repositoryName(target)}: blobs ${Object.entries(tally).map(([k, v]) => `${v} ${k}`).join(", ")}; manifest put by digest`
  );
  return "imported";
}
async function importForeignSources(target, sources, logger) {
  let imported = 0;
  for (const { source, manifest } of foreignManifests(sources, target)) {
    if (await importManifest(target, source.origin, manifest.digest, logger) === "imported")
      imported++;
  }
  return imported;
}

// src/publish/tag-ledger.ts
var TagLedger = class {
  constructor(tags, planned) {
    this.tags = tags;
    this.planned = planned;
  }
  tags;
  planned;
  /** What the tags held before any write (undefined: not read). */
  heads;
  /** The decisions, updated as writes settle (an immutable tag holding our digest: nothing). */
  decisions;
  /** The digest of the new index (undefined: not assembled). */
  digest;
  /** Tags whose PUT was sent, and those whose PUT was answered. */
  started = /* @__PURE__ */ new Set();
  pushed = /* @__PURE__ */ new Set();
  /** Floating tags left where they were: the release is incomplete. */
  heldBack = /* @__PURE__ */ new Set();
  /** Why a tag's move goes to an older index. */
  older = /* @__PURE__ */ new Map();
  /** Hooks for pushTags. */
  progress = {
    started: (tag) => this.started.add(tag),
    pushed: (tag) => this.pushed.add(tag)
  };
  /** Replace the decisions of the tags in `settled`. */
  settle(settled) {
    if (!this.decisions) return;
    for (const d of settled) {
      const i = this.decisions.findIndex((x) => x.tag === d.tag);
      if (i >= 0) this.decisions[i] = d;
    }
  }
  /** Whether the tag holds the new index: written by this run, or held it already. */
  holdsNew(tag, decision) {
    return this.pushed.has(tag) || decision.action === "nothing";
  }
  /** One report per tag, in the order of the tags. */
  results() {
    return this.tags.map((tag, i) => {
      const decision = this.decisions?.find((d) => d.tag === tag);
      const head = this.heads?.get(tag);
      const previousDigest = this.heads ? head?.digest ?? null : void 0;
      const report = {
        tag,
        role: i === 0 ? "release" : "floating",
        change: "not-written"
      };
      if (previousDigest !== void 0) report.previousDigest = previousDigest;
      const change = (() => {
        if (this.heldBack.has(tag)) return "held-back";
        if (this.planned && decision) {
          return decision.action === "create" ? "would-create" : decision.action === "update" ? "would-move" : "unchanged";
        }
        if (decision && this.holdsNew(tag, decision)) {
          return decision.action === "create" ? "created" : decision.action === "update" ? "moved" : "unchanged";
        }
        return this.started.has(tag) ? "unknown" : "not-written";
      })();
      report.change = change;
      if (["created", "moved", "unchanged"].includes(change) && !this.planned)
        report.digest = this.digest ?? null;
      else if (change !== "unknown" && previousDigest !== void 0) report.digest = previousDigest;
      const older = this.older.get(tag);
      if (older && (change === "moved" || change === "would-move")) report.older = older;
      return report;
    });
  }
};

// src/publish/index-age.ts
var CREATED = "org.opencontainers.image.created";
function validDate(value) {
  if (typeof value !== "string" || value.length > 40) return void 0;
  const time = Date.parse(value);
  return Number.isFinite(time) ? time : void 0;
}
async function olderThanPrevious(repo, previousDigest, annotations, sources) {
  try {
    const previous = await repo.getManifest(previousDigest);
    if (!previous || previous.parsed.kind !== "index") return void 0;
    const document = previous.parsed.document;
    const ours = validDate(annotations[CREATED]);
    const theirs = validDate(document.annotations?.[CREATED]);
    if (ours !== void 0 && theirs !== void 0) {
      return ours < theirs ? `its ${CREATED} is ${annotations[CREATED]}, the index it replaces says ${document.annotations?.[CREATED]}` : void 0;
    }
    for (const source of sources) {
      const key = normalizedPlatformKey(source.entry.platform);
      const before = document.manifests.find(
        (d) => d.platform && normalizedPlatformKey(d.platform) === key
      );
      if (!before || before.digest === source.entry.digest) continue;
      const built = validDate(source.created);
      if (built === void 0) return void 0;
      const image = await repo.getManifest(before.digest);
      if (!image || image.parsed.kind !== "image") return void 0;
      const config = parseImageConfig(await repo.getBlob(image.parsed.document.config.digest));
      const replaced = validDate(config.created);
      if (replaced === void 0) return void 0;
      return built < replaced ? `its ${formatPlatform(source.entry.platform)} image was built ${source.created}, the one it replaces ${config.created}` : void 0;
    }
    return void 0;
  } catch {
    return void 0;
  }
}

// src/publish/engine.ts
function platformReport(s) {
  const report = {
    platform: formatPlatform(s.entry.platform),
    source: s.source,
    digest: s.entry.digest,
    size: s.entry.size,
    mediaType: s.entry.mediaType
  };
  if (s.attestations.length > 0) report.attestations = s.attestations.length;
  return report;
}
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}
var COMPLETE = ["created", "updated", "unchanged", "planned", "verified"];
function releaseStatus(decision) {
  return decision.action === "update" ? "updated" : decision.action === "create" ? "created" : "unchanged";
}
function comparisonBase(decisions) {
  return decisions.find((d) => d.action === "update" && d.current);
}
async function runImage(planned, options, session, logger = session.logger) {
  const { clock } = session;
  let plan = planned;
  const releaseTag = plan.tags[0];
  const repo = session.client.repository(plan.image, targetAccess(options.mode));
  const others = /* @__PURE__ */ new Map([[repositoryName(plan.image), repo]]);
  const repoFor = (reference) => {
    const name = repositoryName(reference);
    let client = others.get(name);
    if (!client) {
      client = session.client.repository(reference, "pull");
      others.set(name, client);
    }
    return client;
  };
  const { deadline, random } = session;
  const ctx = { repo, repoFor, clock, deadline, random, logger };
  const report = {
    image: repositoryName(plan.image),
    tags: [...plan.tags],
    status: "failed",
    platforms: []
  };
  const ledger = new TagLedger(plan.tags, options.mode === "dry-run");
  let stage = "reading the per-arch images";
  let headsRead;
  let headsKnown;
  const fail = async (error) => {
    report.status = "failed";
    report.error = errorMessage(error);
    if (error instanceof PublishError) report.errorCode = error.code;
    if (error instanceof SourcesError) {
      report.platforms = error.found.map(platformReport);
      report.sourceProblems = error.unusable.map((u) => ({
        ...u.planned.expected ? { platform: u.planned.expected.text } : {},
        source: formatReference(u.planned.reference),
        problem: u.problem,
        detail: u.detail
      }));
    }
    if (error instanceof CancelledError) {
      report.errorCode = "CANCELLED";
      const written = plan.tags.filter((t) => ledger.pushed.has(t));
      const notWritten = plan.tags.filter((t) => !ledger.pushed.has(t));
      report.error = `cancelled while ${stage}; tags written: ${written.join(", ") || "none"}; not written: ${notWritten.join(", ") || "none"}`;
      ledger.heads ??= headsKnown;
    } else if (!ledger.heads && options.mode !== "verify") {
      ledger.heads = await (headsRead ?? readTags(repo, plan.tags)).catch(() => void 0);
    }
    report.tagResults = ledger.results();
  };
  try {
    if (plan.discover) {
      stage = "listing the tags (platforms: auto)";
      const { discoverSources } = await import("./discover-BAM4PSG3.js");
      const found = await discoverSources(repo, options.sourceTemplate, releaseTag, plan.tags);
      report.discovery = found.discovery;
      logger.info(
        `platforms: auto found ${found.sources.length} per-platform tag(s): ${found.discovery.found.map((f) => `${f.tag} (${f.platform})`).join(", ") || "none"}`
      );
      for (const group of found.discovery.ignored) {
        logger.info(
          `ignored ${group.count} tag(s), ${group.why}: ${group.examples.join(", ")}${group.count > group.examples.length ? ", ..." : ""}`
        );
      }
      if (found.discovery.invalidTags) {
        logger.warning(
          `platforms: auto: dropped ${found.discovery.invalidTags} name(s) in the tag listing that are not valid tag names`
        );
      }
      if (found.discovery.truncatedWhy)
        logger.warning(`platforms: auto: ${found.discovery.truncatedWhy}`);
      if (found.sources.length === 0) {
        throw new PublishError(
          "SOURCES_MISSING",
          `platforms: auto found no per-platform tag of ${releaseTag} in ${repositoryName(plan.image)} (template '${options.sourceTemplate.text}'); nothing was written`
        );
      }
      plan = { ...plan, sources: found.sources };
      stage = "reading the per-arch images";
    }
    if (options.mode === "verify") {
      const { verifyImage } = await import("./verify-HQXOCVDO.js");
      const outcome = await verifyImage(ctx, plan);
      Object.assign(report, {
        status: "verified",
        digest: outcome.digest,
        mediaType: outcome.mediaType,
        platforms: outcome.platforms
      });
      for (const note of outcome.notes) logger.warning(note);
      return { report };
    }
    headsRead = readTags(repo, plan.tags);
    headsRead.then((heads) => headsKnown = heads).catch(() => void 0);
    const { resolved, waited } = await resolveSources(ctx, plan.sources, options.waitTimeoutMs);
    report.platforms = resolved.map(platformReport);
    for (const p of report.platforms)
      logger.info(`${p.platform.padEnd(32)} ${p.digest}  ${p.source}`);
    stage = "assembling the index";
    const index = assembleIndex(resolved, options.mediaType, options.annotations);
    report.digest = index.digest;
    report.mediaType = index.mediaType;
    ledger.digest = index.digest;
    if (waited) headsRead = readTags(repo, plan.tags);
    stage = "reading the target tags";
    ledger.heads = await headsRead;
    const decisions = decideTags(repo, ledger.heads, index.digest, options.onExisting);
    ledger.decisions = decisions;
    const [release, ...floating] = decisions;
    if (release.action === "update" && release.current)
      report.previousDigest = release.current.digest;
    const base = comparisonBase(decisions);
    if (base?.current) {
      const change = await describeChange(repo, base.current.digest, index.document.manifests);
      if (change)
        report.changes = { comparedWith: { tag: base.tag, digest: base.current.digest }, ...change };
    }
    const ages = /* @__PURE__ */ new Map();
    for (const d of decisions) {
      if (d.action !== "update" || !d.current) continue;
      const previous = d.current.digest;
      if (!ages.has(previous))
        ages.set(previous, olderThanPrevious(repo, previous, options.annotations, resolved));
      const older = await ages.get(previous);
      if (older) {
        ledger.older.set(d.tag, older);
        logger.warning(
          `${formatReference({ registry: repo.registry, repository: repo.repository, tag: d.tag })} ${options.mode === "dry-run" ? "would move" : "moves"} to an older index than the one it holds (${previous}): ${older}`
        );
      }
    }
    const foreign = foreignManifests(resolved, repo);
    if (options.mode === "dry-run") {
      if (foreign.length > 0 && decisions.some((d) => d.action !== "nothing")) {
        logger.info(
          `dry-run: would copy ${foreign.length} manifest(s) from other repositories into ${repositoryName(repo)} first`
        );
      }
      report.status = "planned";
      report.plannedAction = release.action;
      report.index = index.bytes.toString("utf8");
      logger.info(
        `dry-run: would ${release.action === "nothing" ? "leave the release tag as it is" : release.action} ${index.digest}:
${report.index}`
      );
      report.tagResults = ledger.results();
      return {
        report,
        floating: async (move) => {
          if (!move) holdBack(floating, ledger, logger, true);
          report.tagResults = ledger.results();
        }
      };
    }
    if (foreign.length > 0 && decisions.some((d) => d.action !== "nothing")) {
      stage = "copying sources from other repositories";
      await importForeignSources(repo, resolved, logger);
    }
    const pushCtx = { repo, deadline, random, logger };
    stage = "pushing the index under the release tag";
    const [written] = await pushTags(pushCtx, index, [release], ledger.progress);
    ledger.settle([written]);
    stage = "confirming the release tag";
    await confirmTags(
      repo,
      { deadline, random },
      index,
      written.action !== "nothing" ? [written.tag] : [],
      resolved
    );
    report.status = releaseStatus(written);
    report.tagResults = ledger.results();
    return {
      report,
      floating: async (move) => {
        try {
          if (!move) {
            holdBack(floating, ledger, logger, false);
            return;
          }
          stage = "pushing the index under the floating tags";
          const done = await pushTags(pushCtx, index, floating, ledger.progress);
          ledger.settle(done);
          stage = "confirming the floating tags";
          const moved = done.filter((d) => d.action !== "nothing").map((d) => d.tag);
          await confirmTags(repo, { deadline, random }, index, moved, []);
        } catch (error) {
          await fail(error);
        } finally {
          report.tagResults = ledger.results();
        }
      }
    };
  } catch (error) {
    await fail(error);
    return { report };
  }
}
function holdBack(floating, ledger, logger, planned) {
  for (const d of floating) {
    if (d.action === "nothing") continue;
    ledger.heldBack.add(d.tag);
    logger.warning(
      `${d.tag}: ${planned ? "would be held back" : "held back"} because the release is incomplete (another image of this ${planned ? "dry-run" : "step"} failed); it ${d.current ? `still holds ${d.current.digest}` : "still holds nothing"}`
    );
  }
}
var IMAGE_CONCURRENCY = 16;
async function runAll(options, session, hooks = {}) {
  const runOne = async (plan) => {
    const run = await runImage(plan, options, session, hooks.loggerFor?.(plan) ?? session.logger);
    const rateLimit = session.client.rateLimits.get(plan.image.registry);
    if (rateLimit) run.report.rateLimit = rateLimit;
    return run;
  };
  if (options.floatingTags === "each") {
    return mapBounded(options.plans, IMAGE_CONCURRENCY, async (plan) => {
      const run = await runOne(plan);
      await run.floating?.(true);
      hooks.onImageDone?.(run.report, plan);
      return run.report;
    });
  }
  const runs = await mapBounded(options.plans, IMAGE_CONCURRENCY, runOne);
  const incomplete = new Set(
    runs.filter((r) => !COMPLETE.includes(r.report.status)).map((r) => r.report.tags[0])
  );
  await mapBounded(runs, IMAGE_CONCURRENCY, async (run, i) => {
    await run.floating?.(!incomplete.has(run.report.tags[0]));
    hooks.onImageDone?.(run.report, options.plans[i]);
  });
  return runs.map((r) => r.report);
}

// src/publish/tuning.ts
function positiveDuration(env, name) {
  const text = env[name]?.trim();
  if (!text) return void 0;
  const ms = parseDuration(text);
  if (ms === void 0 || ms <= 0)
    throw new InputError(
      name,
      `'${text}' is not a positive duration such as 30s`,
      "environment variable"
    );
  return ms;
}
function tuningFromEnv(env) {
  const requestTimeoutMs = positiveDuration(env, "MULTIARCH_INDEX_REQUEST_TIMEOUT");
  return {
    policy: requestTimeoutMs === void 0 ? DEFAULT_RETRY_POLICY : { ...DEFAULT_RETRY_POLICY, requestTimeoutMs },
    helperTimeoutMs: positiveDuration(env, "MULTIARCH_INDEX_CREDENTIAL_HELPER_TIMEOUT") ?? DEFAULT_HELPER_TIMEOUT_MS
  };
}

// src/publish/run.ts
var CANCEL_SIGNALS = ["SIGINT", "SIGTERM"];
function cancelOnSignals(proc, onCancelling) {
  const cancel = new AbortController();
  const listeners = CANCEL_SIGNALS.map((name) => {
    const listener = () => {
      if (cancel.signal.aborted) {
        proc.exit(1);
        return;
      }
      onCancelling(cancellingLine(name));
      cancel.abort();
    };
    proc.on(name, listener);
    return { name, listener };
  });
  return {
    signal: cancel.signal,
    dispose: () => {
      for (const { name, listener } of listeners) proc.removeListener(name, listener);
    }
  };
}
function scopeLine(options, images, releases) {
  const what = releases === void 0 ? `tag ${options.tag}` : `${releases} release(s)`;
  return `${options.mode}: ${images} image(s), ${what}`;
}
async function runSequence(face) {
  let inputs;
  let options;
  let tuning;
  try {
    ;
    ({ inputs, options } = face.read());
    tuning = tuningFromEnv(face.env);
  } catch (error) {
    return { kind: "refused", error };
  }
  for (const notice of options.notices) face.onNotice(notice);
  const images = options.plans.length;
  const cancel = face.process ? cancelOnSignals(face.process, face.onCancelling) : { signal: new AbortController().signal, dispose: () => void 0 };
  try {
    const prepared = await face.prepare?.(inputs, options, cancel.signal);
    if (prepared && "refused" in prepared)
      return { kind: "stopped", inputs, options, message: prepared.refused };
    const rows = prepared?.rows ?? options.plans.map((plan) => ({ plan }));
    options = { ...options, plans: rows.flatMap((row) => "plan" in row ? [row.plan] : []) };
    const session = openSession(options, {
      logger: face.logger,
      signal: cancel.signal,
      policy: tuning.policy,
      helperTimeoutMs: tuning.helperTimeoutMs,
      env: face.env,
      ...face.session
    });
    let reports;
    try {
      face.logger.info(scopeLine(options, images, prepared?.releases));
      const ran = await runAll(options, session, {
        loggerFor: face.loggerFor,
        onImageDone: face.onImageDone
      });
      let next = 0;
      reports = rows.map((row) => "plan" in row ? ran[next++] : row.report);
    } finally {
      await session.close();
    }
    const failed = reports.filter((r) => r.status === "failed");
    if (failed.length === 0) return { kind: "ran", inputs, options, rows, reports, exitCode: 0 };
    const names = prepared ? failed.map((r) => `${r.image}:${neutralise(r.tags[0])}`) : void 0;
    const failure = failureLine(reports, options, names);
    return { kind: "ran", inputs, options, rows, reports, failure, exitCode: 1 };
  } finally {
    cancel.dispose();
  }
}

// src/publish/input-combinations.ts
function checkTimeouts(waitTimeoutMs, timeoutMs, timeoutText) {
  if (timeoutMs <= 0)
    throw new InputError(
      "timeout",
      `'${timeoutText}' is not more than 0; give a bound such as 90s or 10m`
    );
  if (waitTimeoutMs >= timeoutMs) {
    throw new InputError(
      "wait-timeout",
      `${formatDuration(waitTimeoutMs)} is not shorter than timeout (${formatDuration(timeoutMs)}); the wait would be cut off by the step's timeout`
    );
  }
}
function checkAnnotationsFit(mediaType, annotations) {
  if (mediaType === "docker" && Object.keys(annotations).length > 0) {
    throw new InputError(
      "annotations",
      "a Docker manifest list cannot carry annotations; remove them or use media-type: oci"
    );
  }
}
function checkCredentialPair(username, password) {
  if (username && !password)
    throw new InputError(
      "password",
      `is empty but username '${username}' is set; give both or neither`
    );
  if (password && !username)
    throw new InputError("username", "is empty but password is set; give both or neither");
}
function checkSourcesAlone(sourcesGiven, given, images) {
  if (!sourcesGiven) return;
  if (given("platforms")) {
    throw new InputError(
      "sources",
      "cannot be combined with platforms: with sources the platforms come from the images themselves"
    );
  }
  if (given("source-template")) {
    throw new InputError(
      "sources",
      "cannot be combined with source-template: the sources are named explicitly"
    );
  }
  if (images.some((i) => i.platforms)) {
    throw new InputError("images", "per-image platform lists cannot be combined with sources");
  }
}

// src/publish/parse-annotations.ts
var INDEX_LEVEL = "index:";
var OTHER_LEVEL = /^(?:manifest|manifest-descriptor|index-descriptor)(?:\[[^\]]*\])?:/;
function parseAnnotations(raw, notices) {
  const out = {};
  const skipped = [];
  for (const line of splitLines(raw)) {
    const eq = line.indexOf("=");
    let key = eq >= 0 ? line.slice(0, eq).trim() : "";
    if (eq < 0 || !key) throw new InputError("annotations", `'${line}' is not key=value`);
    const level = OTHER_LEVEL.exec(key);
    if (level) {
      skipped.push(key);
      continue;
    }
    if (key.startsWith(INDEX_LEVEL)) key = key.slice(INDEX_LEVEL.length);
    if (!key) throw new InputError("annotations", `'${line}' has no key after '${INDEX_LEVEL}'`);
    if (/\s/.test(key)) throw new InputError("annotations", `key '${key}' contains whitespace`);
    if (key in out) throw new InputError("annotations", `key '${key}' is given twice`);
    out[key] = line.slice(eq + 1).trim();
  }
  if (skipped.length > 0) {
    notices.push({
      input: "annotations",
      message: `${skipped.length} annotation(s) for another level than the index were set aside (${skipped.join(", ")}); this step writes an index, so plain and index: keys apply`
    });
  }
  return out;
}

// src/oci/platform-aliases.ts
var ARCHITECTURE_ALIASES = {
  x86_64: "amd64",
  "x86-64": "amd64",
  x64: "amd64",
  aarch64: "arm64",
  armv8: "arm64",
  armhf: "arm/v7",
  armv7: "arm/v7",
  armv7l: "arm/v7",
  armel: "arm/v6",
  armv6: "arm/v6",
  armv6l: "arm/v6",
  i386: "386",
  i686: "386",
  x86: "386",
  ppc64el: "ppc64le"
};
function ociArchitecture(architecture, variant) {
  const oci = ARCHITECTURE_ALIASES[architecture.toLowerCase()];
  if (oci === void 0) return void 0;
  return oci.includes("/") || variant === void 0 ? oci : `${oci}/${variant}`;
}

// src/publish/parse-platforms.ts
var AUTO_PLATFORMS = "auto";
function platformListOrAuto(input, items, where = "") {
  if (items.length === 1 && items[0].toLowerCase() === AUTO_PLATFORMS) return AUTO_PLATFORMS;
  if (items.some((i) => i.toLowerCase() === AUTO_PLATFORMS)) {
    throw new InputError(
      input,
      `${where}'auto' stands alone: it discovers every platform from the tags`
    );
  }
  return platformList(input, items, where);
}
function platformList(input, items, where = "") {
  const platforms = [];
  const seen = /* @__PURE__ */ new Map();
  for (const item of items) {
    let platform;
    try {
      platform = parsePlatform(item);
    } catch (error) {
      if (error instanceof PlatformSyntaxError)
        throw new InputError(input, `${where}${error.message}`);
      throw error;
    }
    const oci = ociArchitecture(platform.architecture, platform.variant);
    if (oci !== void 0) {
      const prefix = item.slice(0, item.indexOf("/", item.indexOf(")") + 1));
      throw new InputError(
        input,
        `${where}'${item}': '${platform.architecture}' is not an OCI architecture name; did you mean ${prefix}/${oci}?`
      );
    }
    const key = expectedPlatformKey(platform);
    const earlier = seen.get(key);
    if (earlier !== void 0) {
      throw new InputError(
        input,
        `${where}'${item}' and '${earlier}' are the same platform; each platform may appear once`
      );
    }
    seen.set(key, item);
    platforms.push(platform);
  }
  return platforms;
}
function checkDiscoverable(template) {
  const tokens = new Set(template.parts.flatMap((p) => "token" in p ? [p.token] : []));
  if (template.parts.some((p) => "literal" in p && p.literal.includes("/"))) {
    throw new InputError(
      "platforms",
      `'auto' discovers tags of the image's own repository; the source-template '${template.text}' names another repository`
    );
  }
  for (const needed of ["tag", "os", "arch"]) {
    if (!tokens.has(needed)) {
      throw new InputError(
        "platforms",
        `'auto' needs a source-template with {${needed}} to read platforms from tags; '${template.text}' has none`
      );
    }
  }
}

// src/publish/parse-images.ts
function referenceInput(input, text, parse = parseReference) {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) throw new InputError(input, error.message);
    throw error;
  }
}
function parseImages(raw) {
  const lines = splitLines(raw);
  if (lines.length === 0) {
    throw new InputError(
      "images",
      "is empty; give at least one target repository, e.g. ghcr.io/owner/app"
    );
  }
  const seen = /* @__PURE__ */ new Set();
  return lines.map((line) => {
    const eq = line.indexOf("=");
    const repoText = (eq >= 0 ? line.slice(0, eq) : line).trim();
    if (/^http:\/\//i.test(repoText)) {
      throw new InputError(
        "images",
        `'${repoText}': write the repository without http://; plain HTTP is used for loopback and for hosts listed in insecure-registries`
      );
    }
    const image = referenceInput("images", repoText, parseRepository);
    const name = repositoryName(image);
    if (seen.has(name))
      throw new InputError("images", `${name} is listed twice; list each repository once`);
    seen.add(name);
    if (eq < 0) return { image };
    const items = splitList(line.slice(eq + 1));
    if (items.length === 0) {
      throw new InputError(
        "images",
        `'${line}': no platforms after '='; give them (e.g. ${repoText} = linux/amd64) or drop the '='`
      );
    }
    return { image, platforms: platformListOrAuto("images", items, `${name}: `) };
  });
}

// src/publish/parse-insecure.ts
var INSECURE_HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;
function parseInsecure(raw) {
  return splitList(raw).map((host) => {
    const h = host.replace(/^https?:\/\//i, "").replace(/\/+$/, "").toLowerCase();
    const match = INSECURE_HOST.exec(h);
    if (!match || match[1] !== void 0 && (Number(match[1]) < 1 || Number(match[1]) > 65535)) {
      throw new InputError(
        "insecure-registries",
        `'${host}' is not a host or host:port (e.g. registry.local:5000 or 10.0.0.5)`
      );
    }
    return h;
  });
}

// src/publish/parse-sources.ts
function parseSources(texts, images) {
  const sourceRefs = texts.map((text) => {
    const ref = referenceInput("sources", text);
    if (!ref.tag && !ref.digest) {
      throw new InputError(
        "sources",
        `'${text}' has neither tag nor digest; give repo:tag or repo@sha256:<64 hex>`
      );
    }
    const name = repositoryName(ref);
    if (images.length > 1 && !images.some((i) => repositoryName(i.image) === name)) {
      throw new InputError(
        "sources",
        `'${text}' is in ${name}, which is not one of the images; with several images each source must be in its image's repository (give one image per step for sources elsewhere)`
      );
    }
    return ref;
  });
  const seenSources = /* @__PURE__ */ new Set();
  for (const ref of sourceRefs) {
    const key = formatReference(ref);
    if (seenSources.has(key))
      throw new InputError("sources", `${key} is listed twice; list each source once`);
    seenSources.add(key);
  }
  return sourceRefs;
}
function sourcesOfImage(name, sourceRefs, imageCount) {
  const sources = sourceRefs.filter((ref) => imageCount === 1 || repositoryName(ref) === name).map((reference) => ({ reference }));
  if (sources.length === 0) throw new InputError("sources", `none of the sources is in ${name}`);
  return sources;
}
function renderSources(image, tag, platforms, template) {
  const byTag = /* @__PURE__ */ new Map();
  return platforms.map((expected) => {
    const sourceTag = renderTemplate(template, tag, expected);
    if (sourceTag.includes("/")) {
      const reference = renderedReference(template, sourceTag, expected);
      const key = formatReference(reference);
      const earlier2 = byTag.get(key);
      if (earlier2) {
        throw new InputError(
          "source-template",
          `'${template.text}' renders the same source '${key}' for ${earlier2} and ${expected.text}; add a token that tells them apart`
        );
      }
      byTag.set(key, expected.text);
      return { expected, reference };
    }
    if (!isValidTag(sourceTag)) {
      throw new InputError(
        "source-template",
        `'${template.text}' renders '${sourceTag}' for ${expected.text}, which is not a valid tag`
      );
    }
    const earlier = byTag.get(sourceTag);
    if (earlier) {
      throw new InputError(
        "source-template",
        `'${template.text}' renders the same tag '${sourceTag}' for ${earlier} and ${expected.text}; add a token that tells them apart (e.g. {-release} or {-variant})`
      );
    }
    byTag.set(sourceTag, expected.text);
    return {
      expected,
      reference: { registry: image.registry, repository: image.repository, tag: sourceTag }
    };
  });
}
function renderedReference(template, text, expected) {
  let reference;
  try {
    reference = parseReference(text);
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) {
      throw new InputError(
        "source-template",
        `'${template.text}' renders '${text}' for ${expected.text}: ${error.message}`
      );
    }
    throw error;
  }
  if (reference.tag === void 0 && reference.digest === void 0) {
    throw new InputError(
      "source-template",
      `'${template.text}' renders '${text}' for ${expected.text}, which is neither a valid tag nor a full reference with a tag (registry/repository:tag)`
    );
  }
  return reference;
}
function checkSourcesAreNotTargets(name, tags, sources) {
  for (const source of sources) {
    const sameRepository = repositoryName(source.reference) === name;
    if (sameRepository && source.reference.tag !== void 0 && tags.includes(source.reference.tag)) {
      throw new InputError(
        source.expected ? "source-template" : "sources",
        `the source ${formatReference(source.reference)} is also a tag the index would be pushed to (${tags.join(", ")}); a source must have a tag of its own, or the index would overwrite it`
      );
    }
  }
}

// src/publish/parse-tags.ts
var TAG_RULE = "up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -";
function parseTag(raw, env) {
  const given = raw?.trim();
  const tag = given || env.GITHUB_REF_NAME?.trim() || "";
  const from = given ? "" : " (taken from GITHUB_REF_NAME)";
  if (!tag)
    throw new InputError(
      "tag",
      "is empty and GITHUB_REF_NAME is not set; give the release tag, e.g. v1.2.3"
    );
  if (!isValidTag(tag)) {
    throw new InputError("tag", `'${tag}'${from} is not a valid tag: ${TAG_RULE}`);
  }
  return tag;
}
function parseExtraTags(raw, images, notices) {
  const otherRepositories = /* @__PURE__ */ new Set();
  const extraTags = splitList(raw).flatMap((text) => {
    if (!text.includes("/") && !text.includes("@")) {
      if (!isValidTag(text)) {
        throw new InputError(
          "tags",
          `'${text}' is not a valid tag: ${TAG_RULE}; or give a full reference such as ghcr.io/owner/app:latest`
        );
      }
      return [{ tag: text, image: void 0 }];
    }
    const ref = referenceInput("tags", text);
    if (ref.digest || ref.tag === void 0)
      throw new InputError("tags", `'${text}' must be a tag, not a digest or a bare repository`);
    const name = repositoryName(ref);
    if (!images.some((i) => repositoryName(i.image) === name)) {
      otherRepositories.add(name);
      return [];
    }
    return [{ tag: ref.tag, image: name }];
  });
  if (otherRepositories.size > 0) {
    const names = [...otherRepositories].join(", ");
    if (!extraTags.some((t) => t.image !== void 0)) {
      throw new InputError(
        "tags",
        `every full-reference tag is in ${names}, which is not one of the images (${images.map((i) => repositoryName(i.image)).join(", ")}); a full-reference tag must name one of the images`
      );
    }
    notices.push({
      input: "tags",
      message: `the tags for ${names} were set aside: it is not one of the images (to push them there too, add it to the images)`
    });
  }
  return extraTags;
}
function imageTags(name, tag, extraTags) {
  const tags = [tag];
  for (const extra of extraTags) {
    if ((extra.image === void 0 || extra.image === name) && !tags.includes(extra.tag))
      tags.push(extra.tag);
  }
  return tags;
}

// src/publish/parse-options.ts
function parseOptions(raw, env = {}) {
  const value = (name) => {
    const v = raw[name];
    return v === void 0 || v.trim() === "" ? void 0 : v;
  };
  const given = (name) => isGiven(raw, name);
  const orDefault = (name) => value(name) ?? defaultValue(name) ?? "";
  const notices = [];
  const mode = oneOf("mode", orDefault("mode"), ["publish", "verify", "dry-run"]);
  const mediaType = oneOf("media-type", orDefault("media-type"), [
    "auto",
    "oci",
    "docker"
  ]);
  const onExisting = oneOf("on-existing", orDefault("on-existing"), ["update", "keep"]);
  const floatingTags = oneOf("floating-tags", orDefault("floating-tags"), [
    "together",
    "each"
  ]);
  const waitTimeoutMs = durationInput("wait-timeout", orDefault("wait-timeout"));
  const timeoutMs = durationInput("timeout", orDefault("timeout"));
  checkTimeouts(waitTimeoutMs, timeoutMs, value("timeout"));
  const annotations = parseAnnotations(value("annotations"), notices);
  checkAnnotationsFit(mediaType, annotations);
  const username = value("username")?.trim();
  const password = value("password");
  checkCredentialPair(username, password);
  const insecureRegistries = parseInsecure(value("insecure-registries"));
  const tag = parseTag(value("tag"), env);
  let sourceTemplate;
  try {
    sourceTemplate = parseTemplate(orDefault("source-template"));
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new InputError("source-template", error.message);
    throw error;
  }
  const images = parseImages(value("images"));
  const sourcesText = splitList(value("sources"));
  checkSourcesAlone(sourcesText.length > 0, given, images);
  const defaultPlatforms = platformListOrAuto("platforms", splitList(orDefault("platforms")));
  if (defaultPlatforms !== "auto" && defaultPlatforms.length === 0)
    throw new InputError("platforms", "is empty; give at least one platform, e.g. linux/amd64");
  const extraTags = parseExtraTags(value("tags"), images, notices);
  const sourceRefs = parseSources(sourcesText, images);
  const plans = images.map(({ image, platforms }) => {
    const name = repositoryName(image);
    const tags = imageTags(name, tag, extraTags);
    let sources = [];
    const wanted = platforms ?? defaultPlatforms;
    if (sourceRefs.length > 0) {
      sources = sourcesOfImage(name, sourceRefs, images.length);
    } else if (wanted === "auto") {
      checkDiscoverable(sourceTemplate);
    } else {
      sources = renderSources(image, tag, wanted, sourceTemplate);
    }
    checkSourcesAreNotTargets(name, tags, sources);
    return wanted === "auto" && sourceRefs.length === 0 ? { image, tags, sources, discover: true } : { image, tags, sources };
  });
  return {
    plans,
    tag,
    mediaType,
    annotations,
    mode,
    onExisting,
    floatingTags,
    waitTimeoutMs,
    timeoutMs,
    username,
    password,
    githubToken: value("github-token")?.trim(),
    insecureRegistries,
    sourceTemplate,
    notices
  };
}

export {
  errorMessage,
  runSequence,
  parseOptions
};
