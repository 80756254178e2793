/** Joins the base path and a route without doubling or losing the slash between them. */
export function joinPath(basePath: string, route: string): string {
  return `${basePath.replace(/\/+$/, '')}/${route}`
}
