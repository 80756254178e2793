import { MemoryAdapter, memoryAdapter } from '../../../src/memory.ts'
import { adapterConformance } from '../../conformance/adapter-conformance.ts'

const capabilities = {
  replace: true,
  compareAndSet: true,
  setIfAbsent: true,
  lock: true,
  index: true,
}

adapterConformance({
  name: 'memory (new MemoryAdapter())',
  adapter: () => new MemoryAdapter(),
  capabilities,
  ttl: { mode: 'observe' },
})

const shared = memoryAdapter()
adapterConformance({
  name: 'memory (one memoryAdapter() shared by every test)',
  adapter: () => shared,
  capabilities,
  ttl: { mode: 'observe' },
})
