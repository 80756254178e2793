/** What every section gets from the runner. */
export interface BenchContext {
  /** Short runs for development: numbers are rough. */
  quick: boolean
  log: (line: string) => void
}
