import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

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
  PublishError
};
