/** Outbound links of the demo site, in one place so a fork can point them at its own docs. */
export const siteLinks = {
  docs: 'https://www.npmjs.com/package/bezzie',
  github: 'https://github.com/neilpmas/bezzie',
  bcp212: 'https://datatracker.ietf.org/doc/draft-ietf-oauth-browser-based-apps/',
} as const

/** Where the Login buttons send the user back to after the IdP. */
export const AFTER_LOGIN_PATH = '/dashboard'
