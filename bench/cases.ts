/**
 * The benchmark's cases: synthetic releases of 2 to 32 platforms, extra tags, Retina's real
 * release shape, a re-run with nothing to do and a 40-image release; each platform with the
 * image config it is seeded with and the source tag the Action's template gives it.
 */
import type { ImageOptions } from '../support/seed.js'
import type { CaseId } from './options.js'

/** One expected platform: its `platforms` text, the image config it is seeded with, its source tag. */
export interface Plat {
  text: string
  image: ImageOptions
}

export interface Component {
  repo: string
  plats: Plat[]
}

export interface Case {
  id: CaseId
  title: string
  components: Component[]
  tag: string
  extraTags: string[]
  /** The source-template input (undefined: the Action's default). */
  template?: string
  /** Re-run: the Action's index is created once before timing and never deleted. */
  rerun?: boolean
  /**
   * Only this Action is timed, over at most this many runs: the docker and podman runs of a
   * 40-image release would take minutes per run (a few processes per image and tag).
   */
  actionOnlyRuns?: number
}

/** Renders the Action's default template, or `{tag}-{os}{-osversion}-{arch}{-variant}`. */
export function sourceTag(tag: string, p: Plat, template: string | undefined): string {
  const { os, architecture, variant, osVersion } = p.image
  const dash = (v: string | undefined): string => (v ? `-${v}` : '')
  if (template === OSVERSION_TEMPLATE) {
    const expectedVersion = /\(([^)]*)\)/.exec(p.text)?.[1]
    return `${tag}-${os}${dash(expectedVersion)}-${architecture}${dash(variant)}`
  }
  const build = osVersion?.split('.')[2]
  const release = build === '17763' ? 'ltsc2019' : build === '20348' ? 'ltsc2022' : undefined
  return `${tag}-${os}${dash(release)}-${architecture}${dash(variant)}`
}

/** Lets many Windows builds have distinct source tags (the default template uses the release name). */
const OSVERSION_TEMPLATE = '{tag}-{os}{-osversion}-{arch}{-variant}'

const LINUX: Array<[string, string?]> = [
  ['amd64'],
  ['arm64'],
  ['arm', 'v7'],
  ['arm', 'v6'],
  ['386'],
  ['ppc64le'],
  ['s390x'],
  ['riscv64'],
  ['mips64le']
]
/** Real Windows builds (10.0.<build>), LTSC first. */
const WINDOWS_BUILDS = [
  '17763',
  '20348',
  '26100',
  '14393',
  '16299',
  '17134',
  '18362',
  '18363',
  '19041',
  '19042',
  '19043',
  '19044',
  '19045',
  '22000',
  '22621',
  '22631',
  '25398',
  '10240',
  '10586',
  '15063'
]
const MORE_LINUX: Array<[string, string?]> = [
  ['arm', 'v5'],
  ['amd64', 'v2'],
  ['amd64', 'v3'],
  ['loong64'],
  ['mips64'],
  ['ppc64']
]

function linuxPlat([architecture, variant]: [string, string?]): Plat {
  const image: ImageOptions = { os: 'linux', architecture }
  if (variant) image.variant = variant
  return { text: `linux/${architecture}${variant ? `/${variant}` : ''}`, image }
}

function platforms(n: number): Plat[] {
  const all: Plat[] = [
    ...LINUX.map(linuxPlat),
    ...WINDOWS_BUILDS.map((b) => ({
      text: `windows(10.0.${b})/amd64`,
      image: { os: 'windows', architecture: 'amd64', osVersion: `10.0.${b}.1000` }
    })),
    ...MORE_LINUX.map(linuxPlat)
  ]
  if (n > all.length) throw new Error(`at most ${all.length} platforms`)
  return all.slice(0, n)
}

const RETINA_LINUX = [linuxPlat(['amd64']), linuxPlat(['arm64'])]

export function makeCases(): Case[] {
  const synthetic = (id: CaseId, n: number, title: string, extra: Partial<Case> = {}): Case => ({
    id,
    title,
    components: [{ repo: `bench/${id}`, plats: platforms(n) }],
    tag: 'v1',
    extraTags: [],
    template: n > LINUX.length ? OSVERSION_TEMPLATE : undefined,
    ...extra
  })
  return [
    synthetic('p2', 2, '2 platforms, 1 tag'),
    synthetic('p5', 5, '5 platforms, 1 tag'),
    synthetic('p16', 16, '16 platforms, 1 tag'),
    synthetic('p32', 32, '32 platforms, 1 tag'),
    synthetic('tags', 5, '5 platforms, 3 tags', { extraTags: ['latest', '1'] }),
    {
      id: 'retina',
      title: 'Retina release (5 images, 11 platforms)',
      tag: 'v0.0.31',
      extraTags: [],
      components: [
        {
          repo: 'microsoft/retina/retina-agent',
          plats: [
            ...RETINA_LINUX,
            {
              text: 'windows(ltsc2019)/amd64',
              image: { os: 'windows', architecture: 'amd64', osVersion: '10.0.17763.7009' }
            },
            {
              text: 'windows(ltsc2022)/amd64',
              image: { os: 'windows', architecture: 'amd64', osVersion: '10.0.20348.3453' }
            }
          ]
        },
        { repo: 'microsoft/retina/retina-init', plats: RETINA_LINUX },
        { repo: 'microsoft/retina/retina-operator', plats: [RETINA_LINUX[0]] },
        { repo: 'microsoft/retina/retina-shell', plats: RETINA_LINUX },
        { repo: 'microsoft/retina/kubectl-retina', plats: RETINA_LINUX }
      ]
    },
    synthetic('rerun', 5, 're-run, nothing to do (5 platforms)', { rerun: true }),
    {
      id: 'r40',
      title: 'release of 40 images × 4 platforms × 2 tags',
      tag: 'v1',
      extraTags: ['latest'],
      components: Array.from({ length: 40 }, (_, i) => ({
        repo: `bench/r40/image-${i + 1}`,
        plats: platforms(4)
      })),
      actionOnlyRuns: 3
    }
  ]
}
