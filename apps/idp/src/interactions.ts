import type { IncomingMessage, ServerResponse } from 'node:http'
import { errors, type InteractionResults, type default as Provider } from 'oidc-provider'
import { authenticate, DEMO_PASSWORD, demoUsers } from './accounts.ts'
import { readForm, sendHtml } from './http-utils.ts'
import { errorPage, loginPage } from './pages.ts'

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>

const interactionPath = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/

/** True when the path belongs to the login / consent interaction. */
export function isInteractionPath(pathname: string): boolean {
  return interactionPath.test(pathname)
}

/**
 * Consent is implied for first-party clients: grant everything the authorization request asked
 * for (including `offline_access`) without showing a screen.
 */
async function grantConsent(
  provider: Provider,
  interaction: Interaction,
): Promise<InteractionResults> {
  const { prompt, params, session, grantId } = interaction
  const details = prompt.details as {
    missingOIDCScope?: string[]
    missingOIDCClaims?: string[]
    missingResourceScopes?: Record<string, string[]>
  }
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session?.accountId, clientId: String(params.client_id) })
  if (!grant) throw new errors.SessionNotFound('grant not found')
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '))
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims)
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '))
  }
  return { consent: { grantId: await grant.save() } }
}

async function clientName(provider: Provider, clientId: unknown): Promise<string> {
  const client = await provider.Client.find(String(clientId))
  return client?.clientName ?? String(clientId)
}

async function renderLogin(
  provider: Provider,
  res: ServerResponse,
  interaction: Interaction,
  status: number,
  filledIn?: { username: string; password?: string; error?: string },
): Promise<void> {
  sendHtml(
    res,
    status,
    loginPage({
      action: `/interaction/${interaction.uid}/login`,
      abort: `/interaction/${interaction.uid}/abort`,
      clientName: await clientName(provider, interaction.params.client_id),
      users: demoUsers,
      ...(filledIn ?? {}),
    }),
  )
}

/** The demo user picked from the login page's list (`?user=`), if it names one. */
function pickedDemoUser(req: IncomingMessage): string | undefined {
  const picked = new URL(req.url ?? '/', 'http://idp.invalid').searchParams.get('user')
  return demoUsers.find((user) => user.username === picked)?.username
}

/**
 * The first `acr_values` entry of the authorization request this IdP supports: the login grants
 * it, standing in for the stronger method a real IdP would run for it.
 */
function grantedAcr(interaction: Interaction, supported: readonly string[]): string | undefined {
  const requested = interaction.params.acr_values
  if (typeof requested !== 'string') return undefined
  return requested.split(' ').find((value) => supported.includes(value))
}

/** Serves `/interaction/:uid` (login page or silent consent), its login POST and abort. */
export async function handleInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  acrValues: readonly string[] = [],
): Promise<void> {
  const [, uid, action] = interactionPath.exec(pathname) ?? []
  try {
    const interaction = await provider.interactionDetails(req, res)
    if (interaction.uid !== uid) throw new errors.SessionNotFound('interaction mismatch')
    const promptName = interaction.prompt.name

    if (action === 'abort' && req.method === 'GET') {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
      })
      return
    }
    if (action === 'login' && req.method === 'POST' && promptName === 'login') {
      const form = await readForm(req)
      const username = form.get('username') ?? ''
      const user = authenticate(username, form.get('password') ?? '')
      if (!user) {
        await renderLogin(provider, res, interaction, 401, {
          username,
          error: 'Wrong username or password.',
        })
        return
      }
      const acr = grantedAcr(interaction, acrValues)
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.username, ...(acr ? { acr } : {}) } },
        { mergeWithLastSubmission: false },
      )
      return
    }
    if (action === undefined && req.method === 'GET') {
      if (promptName === 'login') {
        const picked = pickedDemoUser(req)
        await renderLogin(
          provider,
          res,
          interaction,
          200,
          picked ? { username: picked, password: DEMO_PASSWORD } : undefined,
        )
        return
      }
      if (promptName === 'consent') {
        await provider.interactionFinished(req, res, await grantConsent(provider, interaction), {
          mergeWithLastSubmission: true,
        })
        return
      }
    }
    sendHtml(res, 400, errorPage('invalid_request', 'unexpected interaction request'))
  } catch (error) {
    if (error instanceof errors.OIDCProviderError) {
      sendHtml(res, error.statusCode, errorPage(error.error, error.error_description))
      return
    }
    throw error
  }
}
