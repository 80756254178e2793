// The Worker the workerd store suites run in: an application re-exports the class the same way.
export { BezzieKVCoordinator, BezzieSessionStore } from '../../src/durable-object.ts'

export default {
  fetch: () => new Response('bezzie store test worker'),
} satisfies ExportedHandler
