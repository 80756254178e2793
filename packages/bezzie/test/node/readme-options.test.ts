import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BEZZIE_ERROR_CODES, HTTP_ERROR_CODES } from '@bezzie/contract'
import { describe, expect, it } from 'vitest'

const read = (path: string): string =>
  readFileSync(fileURLToPath(new URL(path, import.meta.url).href)).toString('utf8')

/** Member names of `export interface <name> { … }` in `source` (top level of the body only). */
function members(source: string, name: string): string[] {
  const start = source.indexOf(`export interface ${name} {`)
  if (start < 0) throw new Error(`interface ${name} not found`)
  const body = source.slice(start, source.indexOf('\n}\n', start))
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1] as string)
}

/** First-column option names of the README table that follows `heading`. */
function tableOptions(readme: string, heading: string): string[] {
  const start = readme.indexOf(heading)
  if (start < 0) throw new Error(`README section ${heading} not found`)
  const rest = readme.slice(start)
  const table = rest.slice(0, rest.indexOf('\n\n', rest.indexOf('| ---')))
  return [...table.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1] as string)
}

/** The first-column and second-column code spans of each row of the table after `heading`. */
function tableRows(readme: string, heading: string): string[][] {
  const start = readme.indexOf(heading)
  if (start < 0) throw new Error(`README section ${heading} not found`)
  const rest = readme.slice(start)
  const table = rest.slice(rest.indexOf('| ---'), rest.indexOf('\n\n', rest.indexOf('| ---')))
  return [...table.matchAll(/^\| `([\w.]+)`\s*\| (?:`(\w+)`|(—))/gm)].map((m) => [
    m[1] as string,
    (m[2] ?? m[3]) as string,
  ])
}

describe('README documents every option', () => {
  const readme = read('../../README.md')

  it('the configuration tables list exactly the members of BezzieConfig (flat names included)', () => {
    const groups = tableRows(readme, '### Option groups')
    const flat = groups.map((row) => row[1]).filter((name) => name !== '—')
    const documented = [...tableOptions(readme, '## Configuration'), ...flat]
    expect([...documented].sort()).toEqual(
      members(read('../../src/config/options.ts'), 'BezzieConfig').sort(),
    )
  })

  it.each([
    ['session', 'session.ts', 'SessionConfig'],
    ['cookie', 'cookie.ts', 'CookieConfig'],
    ['tokens', 'tokens.ts', 'TokensConfig'],
    ['logout', 'logout.ts', 'LogoutConfig'],
    ['hooks', 'hooks.ts', 'HooksConfig'],
    ['csrf', 'csrf.ts', 'CsrfConfig'],
  ])('the option groups table lists exactly the members of %s', (group, file, name) => {
    const documented = tableRows(readme, '### Option groups')
      .map((row) => row[0] as string)
      .filter((option) => option.startsWith(`${group}.`))
      .map((option) => option.slice(group.length + 1))
    expect(documented.sort()).toEqual(members(read(`../../src/config/${file}`), name).sort())
  })

  it('the proxy table lists exactly the members of ProxyOptions', () => {
    const documented = tableOptions(readme, '### Proxy')
    expect([...documented].sort()).toEqual(
      members(read('../../src/proxy.ts'), 'ProxyOptions').sort(),
    )
  })

  it('the errors section names every error code of the wire contract', () => {
    const codes = [...BEZZIE_ERROR_CODES, ...HTTP_ERROR_CODES]
    expect(codes.length).toBeGreaterThan(20)
    const errors = readme.slice(readme.indexOf('## Errors and codes'))
    expect(codes.filter((code) => !errors.includes(`\`${code}\``))).toEqual([])
  })
})
