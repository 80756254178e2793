export type { RedisServer, RedisServerOptions } from './redis-server.ts'
export {
  findRedisServer,
  REDIS_INSTALL_HINT,
  redisServerAvailable,
  startRedisServer,
} from './redis-server.ts'
export type { RespReply } from './resp-connection.ts'
export { BulkString, RedisReplyError, RespConnection } from './resp-connection.ts'
export type { UpstashBridge, UpstashBridgeOptions } from './upstash-bridge.ts'
export { startUpstashBridge } from './upstash-bridge.ts'
