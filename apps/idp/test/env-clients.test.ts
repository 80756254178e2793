import { describe, expect, it } from 'vitest'
import { ClientsEnvError, clientsFromEnv, withExtra } from '../src/env-clients.ts'

describe('clientsFromEnv', () => {
  it('reads nothing from an empty environment', () => {
    expect(clientsFromEnv({})).toEqual({
      redirectUris: [],
      postLogoutRedirectUris: [],
      clients: [],
    })
  })

  it('adds comma-separated redirect URIs and their origins as post-logout redirect URIs', () => {
    const env = {
      IDP_REDIRECT_URIS: ' http://localhost:3000/auth/callback, https://app.test:8443/cb ,',
      IDP_POST_LOGOUT_REDIRECT_URIS: 'http://localhost:3000/goodbye',
    }
    expect(clientsFromEnv(env)).toEqual({
      redirectUris: ['http://localhost:3000/auth/callback', 'https://app.test:8443/cb'],
      postLogoutRedirectUris: [
        'http://localhost:3000/',
        'http://localhost:3000',
        'https://app.test:8443/',
        'https://app.test:8443',
        'http://localhost:3000/goodbye',
      ],
      clients: [],
    })
  })

  it('registers IDP_CLIENTS with the BFF defaults, keeping what each entry sets', () => {
    const { clients } = clientsFromEnv({
      IDP_CLIENTS: JSON.stringify([
        { client_id: 'app', client_secret: 's', redirect_uris: ['http://localhost:4000/cb'] },
        {
          client_id: 'spa',
          redirect_uris: ['http://localhost:4001/cb'],
          post_logout_redirect_uris: ['http://localhost:4001/bye'],
        },
      ]),
    })
    expect(clients).toEqual([
      {
        client_id: 'app',
        client_secret: 's',
        redirect_uris: ['http://localhost:4000/cb'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        post_logout_redirect_uris: ['http://localhost:4000/', 'http://localhost:4000'],
      },
      {
        client_id: 'spa',
        redirect_uris: ['http://localhost:4001/cb'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        post_logout_redirect_uris: ['http://localhost:4001/bye'],
      },
    ])
  })

  it.each([
    [
      { IDP_REDIRECT_URIS: '/auth/callback' },
      'IDP_REDIRECT_URIS: "/auth/callback" is not an absolute URL',
    ],
    [{ IDP_REDIRECT_URIS: 'javascript:alert(1)' }, 'is not an http(s) URL'],
    [{ IDP_POST_LOGOUT_REDIRECT_URIS: 'nope' }, 'IDP_POST_LOGOUT_REDIRECT_URIS'],
    [{ IDP_CLIENTS: '{"client_id":"a"' }, 'IDP_CLIENTS is not valid JSON'],
    [{ IDP_CLIENTS: '{"client_id":"a"}' }, 'IDP_CLIENTS must be a JSON array'],
    [{ IDP_CLIENTS: '["a"]' }, 'IDP_CLIENTS[0] must be an object'],
    [
      { IDP_CLIENTS: '[{"redirect_uris":["http://x.test/cb"]}]' },
      'IDP_CLIENTS[0] needs a "client_id"',
    ],
    [{ IDP_CLIENTS: '[{"client_id":"a"}]' }, 'IDP_CLIENTS[0] ("a") needs "redirect_uris"'],
    [{ IDP_CLIENTS: '[{"client_id":"a","redirect_uris":["x"]}]' }, 'IDP_CLIENTS[0]: "x"'],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => clientsFromEnv(env)).toThrow(ClientsEnvError)
    expect(() => clientsFromEnv(env)).toThrow(message)
  })
})

describe('withExtra', () => {
  it('appends without duplicates, in order', () => {
    expect(withExtra(['a', 'b'], ['b', 'c', 'a', 'd'])).toEqual(['a', 'b', 'c', 'd'])
    expect(withExtra(undefined, ['x'])).toEqual(['x'])
  })
})
