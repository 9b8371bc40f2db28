import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  neutralise
} from "./chunk-QZHQZAVZ.js";

// src/registry/base/errors.ts
var RegistryError = class extends Error {
  name = "RegistryError";
  status;
  /** The first error code of the body (`MANIFEST_UNKNOWN`, `DENIED`...), if any. */
  code;
  errors;
  operation;
  target;
  /** A hint for the user: what to check or do. */
  hint;
  /** How long the registry asked to wait before a new try (`Retry-After`), if it said. */
  retryAfterMs;
  constructor(context, status, errors, options = {}) {
    const first = errors[0];
    const answer = first ? `${status} ${first.code}: ${first.message}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ""}` : `${status}${options.bodyText ? ` ${options.bodyText}` : ""}`;
    super(
      `${context.operation} ${context.target}: ${answer}${options.hint ? `. ${options.hint}` : ""}`
    );
    this.status = status;
    this.code = first?.code;
    this.errors = errors;
    this.operation = context.operation;
    this.target = context.target;
    this.hint = options.hint;
    this.retryAfterMs = options.retryAfterMs;
  }
  /** True when any error in the body has this code. */
  hasCode(code) {
    return this.errors.some((e) => e.code === code);
  }
};
var TransportError = class extends Error {
  name = "TransportError";
  code;
  operation;
  target;
  constructor(context, code, message, options) {
    super(`${context.operation} ${context.target}: ${message}`, options);
    this.code = code;
    this.operation = context.operation;
    this.target = context.target;
  }
};
var DeadlineError = class extends Error {
  name = "DeadlineError";
  code = "DEADLINE_EXCEEDED";
};
var CancelledError = class extends Error {
  name = "CancelledError";
  code = "CANCELLED";
};
var IntegrityError = class extends Error {
  name = "IntegrityError";
  code;
  constructor(code, message) {
    super(message);
    this.code = code;
  }
};
function parseErrorBody(body) {
  if (!body || body.length === 0) return { errors: [] };
  const text = body.toString("utf8");
  try {
    const parsed = JSON.parse(text);
    if (Array.isArray(parsed.errors)) {
      const errors = parsed.errors.filter((e) => typeof e === "object" && e !== null).map((e) => ({
        code: typeof e.code === "string" ? neutralise(e.code.slice(0, 100)) : "UNKNOWN",
        message: typeof e.message === "string" ? neutralise(clip(e.message, 500)) : "",
        detail: e.detail
      }));
      return { errors };
    }
  } catch {
  }
  const oneLine = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return { errors: [], text: neutralise(clip(oneLine, 160)) };
}
function clip(text, max) {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
function isStatus(error, status) {
  return error instanceof RegistryError && error.status === status;
}

export {
  RegistryError,
  TransportError,
  DeadlineError,
  CancelledError,
  IntegrityError,
  parseErrorBody,
  isStatus
};
