import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  CancelledError,
  DeadlineError,
  IntegrityError,
  RegistryError,
  TransportError
} from "./chunk-PCIAHVJB.js";

// src/registry/base/failure.ts
var RestartRequested = class extends Error {
  constructor(why, failure) {
    super(failure.message, { cause: failure });
    this.why = why;
    this.failure = failure;
  }
  why;
  failure;
  name = "RestartRequested";
};
var PERMANENT_TRANSPORT_CODES = /* @__PURE__ */ new Set([
  "TOO_LARGE",
  "REDIRECT",
  "INSECURE_REALM",
  "INSECURE_REDIRECT",
  "FOREIGN_CHALLENGE",
  "UNREACHABLE",
  // Our own connection pool was closed or destroyed (the run is over: another request of the
  // same image failed and the session closed). No later try can use it; retrying would keep
  // the process alive until the step's deadline.
  "UND_ERR_CLOSED",
  "UND_ERR_DESTROYED"
]);
var NOT_SENT_CODES = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT"
]);
function isTlsFailure(code) {
  return /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO_|SELF_SIGNED_)/.test(code);
}
var STATUS_WORDS = {
  408: "Request Timeout",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
};
function statusText(status) {
  const word = STATUS_WORDS[status];
  return word ? `${status} ${word}` : String(status);
}
function isRetryableStatus(status) {
  return status === 408 || status === 429 || status >= 500 && status !== 501 && status !== 505;
}
function classifyFailure(error) {
  if (error instanceof RestartRequested) return { kind: "retryable", why: error.why };
  if (error instanceof CancelledError || error instanceof DeadlineError || error instanceof IntegrityError) {
    return { kind: "permanent", why: error.name };
  }
  if (error instanceof RegistryError) {
    const why = statusText(error.status);
    if (!isRetryableStatus(error.status)) return { kind: "permanent", why };
    const kind = error.status === 408 || error.status === 429 ? "retryable" : "may-have-landed";
    return { kind, why, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof TransportError) {
    if (PERMANENT_TRANSPORT_CODES.has(error.code) || isTlsFailure(error.code))
      return { kind: "permanent", why: `network error ${error.code}` };
    if (error.code === "TIMEOUT") return { kind: "may-have-landed", why: "timed out" };
    return {
      kind: NOT_SENT_CODES.has(error.code) ? "retryable" : "may-have-landed",
      why: `network error ${error.code}`
    };
  }
  return { kind: "permanent", why: error instanceof Error ? error.name : "error" };
}
var UNREACHABLE_CODES = /* @__PURE__ */ new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT"
]);

// src/registry/transport/request.ts
function header(headers, name) {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
function isStream(response) {
  return !Buffer.isBuffer(response.body);
}

export {
  RestartRequested,
  isRetryableStatus,
  classifyFailure,
  UNREACHABLE_CODES,
  header,
  isStream
};
