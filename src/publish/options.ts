/**
 * The typed options of one run, parsed once from the inputs (action.yml names in the JSDoc)
 * and read by the engine. Nothing in the engine looks at raw strings.
 */
import type { ExpectedPlatform } from '../oci/platform.js'
import type { Reference } from '../registry/base/reference.js'
import type { InputName } from './input-contract.js'
import type { SourceTemplate } from './template.js'

export type Mode = 'publish' | 'verify' | 'dry-run'
export type MediaTypeChoice = 'auto' | 'oci' | 'docker'
export type OnExisting = 'update' | 'keep'
/**
 * When the floating tags (`tags`: `latest`, `1.2`) move: `together`, only once every image of
 * the step is complete and its release tag written (a `latest` never mixes two releases), or
 * `each`, per image as soon as that image is done.
 */
export type FloatingTags = 'together' | 'each'

/** One expected source of an image: a per-platform reference. */
export interface PlannedSource {
  /** The expected platform; absent for `sources` (the config says what it is). */
  expected?: ExpectedPlatform
  /** Full reference with tag or digest. */
  reference: Reference
}

/** One target repository and what goes into its index. */
export interface ImagePlan {
  /** The `images` line's repository: registry and repository, no tag. */
  image: Reference
  /** Tags the index goes under: the release tag first, then `tags`. */
  tags: string[]
  /** Sources in index order (empty when `discover`). */
  sources: PlannedSource[]
  /** `platforms: auto`: the sources are found by listing the repository's tags. */
  discover?: boolean
}

export interface PublishOptions {
  /** `images` (with `tag`, `platforms`, `source-template`, `sources`, `tags` resolved into plans). */
  plans: ImagePlan[]
  /** `tag` */
  tag: string
  /** `media-type` */
  mediaType: MediaTypeChoice
  /** `annotations` (OCI index only). */
  annotations: Record<string, string>
  /** `mode` */
  mode: Mode
  /** `on-existing` */
  onExisting: OnExisting
  /** `floating-tags` */
  floatingTags: FloatingTags
  /** `wait-timeout`, in ms. */
  waitTimeoutMs: number
  /** `timeout`, in ms. */
  timeoutMs: number
  /** `username` */
  username?: string
  /** `password` (a secret) */
  password?: string
  /** `github-token` (a secret) */
  githubToken?: string
  /** `insecure-registries` */
  insecureRegistries: string[]
  /** `source-template`, parsed (kept for reports). */
  sourceTemplate: SourceTemplate
  /**
   * What the parser set aside without failing (a `tags` line for a repository that is not in
   * `images`, an annotation for another level); each face shows them as notices.
   */
  notices: InputNotice[]
}

/** Something an input asked for that was set aside, named by the input. */
export interface InputNotice {
  input: InputName
  message: string
}

export { INPUT_NAMES, type InputName } from './input-contract.js'
/** Inputs as strings, as a runner (or the CLI) hands them over; empty means unset. */
export type RawInputs = Partial<Record<InputName, string>>
