import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  neutralise
} from "./chunk-QZHQZAVZ.js";

// src/oci/field-grammar.ts
var PLATFORM_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
var OS_VERSION = /^[0-9]{1,10}(?:\.[0-9]{1,10}){0,5}$/;
var TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
var MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
function isTagName(value) {
  return TAG.test(value);
}
function isMediaTypeName(value) {
  return MEDIA_TYPE.test(value);
}
function quoted(value) {
  return typeof value === "string" ? `"${neutralise(value.slice(0, 200))}"` : typeof value;
}
function platformFieldsProblem(fields) {
  for (const name of ["os", "architecture", "variant"]) {
    const value = fields[name];
    if (value === void 0 || value === null) continue;
    if (typeof value !== "string" || !PLATFORM_TOKEN.test(value))
      return `${name} ${quoted(value)} is not a platform name (letters, digits, '_' and '-')`;
  }
  const version = fields["os.version"];
  if (version !== void 0 && version !== null && (typeof version !== "string" || !OS_VERSION.test(version)))
    return `os.version ${quoted(version)} is not a version (digits and dots)`;
  const features = fields["os.features"];
  if (features !== void 0 && features !== null) {
    if (!Array.isArray(features)) return `os.features is not a list`;
    const bad = features.find((f) => typeof f !== "string" || !PLATFORM_TOKEN.test(f));
    if (bad !== void 0)
      return `os.features ${quoted(bad)} is not a feature name (letters, digits, '_' and '-')`;
  }
  return void 0;
}

export {
  isTagName,
  isMediaTypeName,
  quoted,
  platformFieldsProblem
};
