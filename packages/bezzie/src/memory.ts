export { MemoryAdapter, memoryAdapter } from './adapters/memory.ts'
