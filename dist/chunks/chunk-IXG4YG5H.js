import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  __commonJS
} from "./chunk-PY5VAGIZ.js";

// undici-without-fetch-body:../web/fetch/body.js
var require_body = __commonJS({
  "undici-without-fetch-body:../web/fetch/body.js"(exports, module) {
    module.exports.extractBody = () => {
      throw new Error("multiarch-index is bundled without undici FormData bodies (script/bundle.mjs)");
    };
  }
});

// src/publish/errors.ts
var InputError = class extends Error {
  constructor(input, message, what = "input") {
    super(`${what} '${input}': ${message}`);
    this.input = input;
  }
  input;
  name = "InputError";
  code = "INPUT_INVALID";
};
var PublishError = class extends Error {
  constructor(code, message, problems = []) {
    super(problems.length > 0 ? `${message}:
  - ${problems.join("\n  - ")}` : message);
    this.code = code;
    this.problems = problems;
  }
  code;
  problems;
  name = "PublishError";
};

export {
  InputError,
  PublishError,
  require_body
};
