/** Name of the BroadcastChannel (and localStorage key) bezzie tabs talk over. */
export const AUTH_CHANNEL_NAME = 'bezzie-auth'

/**
 * A message from another tab: its view of who is signed in at `basePath` (`user` is the `sub`,
 * or `null` when logged out). A message without `user` just asks every tab to revalidate.
 */
export interface AuthSyncMessage {
  type: 'bezzie:auth'
  basePath: string
  user?: string | null
}

export interface AuthSync {
  publish(message: AuthSyncMessage): void
  close(): void
}

function isAuthSyncMessage(data: unknown): data is AuthSyncMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === 'bezzie:auth' &&
    typeof (data as { basePath?: unknown }).basePath === 'string'
  )
}

/**
 * Opens the cross-tab channel: BroadcastChannel where it exists, else `storage` events on
 * localStorage (older Safari). Returns `null` outside a browser (SSR).
 */
export function openAuthSync(onMessage: (message: AuthSyncMessage) => void): AuthSync | null {
  if (typeof BroadcastChannel !== 'undefined') {
    const channel = new BroadcastChannel(AUTH_CHANNEL_NAME)
    channel.onmessage = (event: MessageEvent) => {
      if (isAuthSyncMessage(event.data)) onMessage(event.data)
    }
    return {
      publish: (message) => channel.postMessage(message),
      close: () => channel.close(),
    }
  }
  if (typeof window === 'undefined' || typeof localStorage === 'undefined') return null
  const onStorage = (event: StorageEvent) => {
    if (event.key !== AUTH_CHANNEL_NAME || event.newValue === null) return
    try {
      const data: unknown = JSON.parse(event.newValue)
      if (isAuthSyncMessage(data)) onMessage(data)
    } catch {
      // Another script's value under our key is not ours to interpret.
    }
  }
  window.addEventListener('storage', onStorage)
  return {
    publish: (message) => {
      try {
        // The timestamp makes every write a change, so a repeated message still fires `storage`.
        localStorage.setItem(AUTH_CHANNEL_NAME, JSON.stringify({ ...message, at: Date.now() }))
      } catch {
        // Storage can be full or disabled (private mode); cross-tab sync is best-effort.
      }
    },
    close: () => window.removeEventListener('storage', onStorage),
  }
}
