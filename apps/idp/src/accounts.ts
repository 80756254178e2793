/** A demo end-user of the development OpenID Provider. */
export interface DemoUser {
  /** Login name and `sub` claim. */
  username: string
  password: string
  name: string
  given_name: string
  family_name: string
  email: string
  email_verified: boolean
}

/** The password every demo user signs in with. */
export const DEMO_PASSWORD = 'bezzie'

/** Demo users the login page accepts. Development only: the password is public. */
export const demoUsers: readonly DemoUser[] = Object.freeze([
  {
    username: 'alice',
    password: DEMO_PASSWORD,
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    email: 'alice@example.com',
    email_verified: true,
  },
  {
    username: 'bob',
    password: DEMO_PASSWORD,
    name: 'Bob Builder',
    given_name: 'Bob',
    family_name: 'Builder',
    email: 'bob@example.com',
    email_verified: true,
  },
])

export function findDemoUser(username: string): DemoUser | undefined {
  return demoUsers.find((user) => user.username === username)
}

/** Returns the user when the credentials match, otherwise undefined. */
export function authenticate(username: string, password: string): DemoUser | undefined {
  const user = findDemoUser(username)
  return user && user.password === password ? user : undefined
}

/** The claims released for a user (`sub` is the username). */
export function claimsFor(user: DemoUser): Record<string, unknown> {
  return {
    sub: user.username,
    name: user.name,
    given_name: user.given_name,
    family_name: user.family_name,
    email: user.email,
    email_verified: user.email_verified,
  }
}
