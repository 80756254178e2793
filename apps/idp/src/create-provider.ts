import Provider, { errors } from 'oidc-provider'
import { type ProviderSettings, providerConfiguration } from './configuration.ts'

/**
 * Creates the oidc-provider instance and checks every static client's metadata up front:
 * oidc-provider would only do so on first use, surfacing a mistake as an error page in the middle
 * of someone's test instead of a message naming the client at start.
 */
export async function createProvider(
  issuer: string,
  settings: ProviderSettings,
): Promise<Provider> {
  const provider = new Provider(issuer, providerConfiguration(settings))
  // oidc-provider puts `sid` in ID tokens only for clients registered with
  // backchannel_logout_session_required; bezzie keys its sessions by sid for every client.
  provider.Client.prototype.includeSid = () => true
  for (const client of settings.clients) {
    const clientId = String(client.client_id)
    try {
      await provider.Client.find(clientId)
    } catch (error) {
      const description =
        error instanceof errors.OIDCProviderError ? error.error_description : String(error)
      throw new TypeError(`startIdp: client ${clientId}: ${description}`)
    }
  }
  return provider
}
