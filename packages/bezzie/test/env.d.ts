declare namespace Cloudflare {
  interface Env {
    SESSION_KV: KVNamespace
    IDP_ISSUER: string
    IDP_ROTATING_ISSUER: string
    IDP_FAULT_ISSUER: string
    UPSTREAM_ORIGIN: string
    IDP_DPOP_ISSUER: string
    DPOP_UPSTREAM_ORIGIN: string
  }
}
