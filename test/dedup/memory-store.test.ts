import { MemoryDedupStore } from '../../src/dedup/memory-store.js';
import { MemoryDigests } from '../../src/digests/memory-digests.js';
import { dedupStoreContract } from './dedup-store-contract.js';

dedupStoreContract('MemoryDedupStore and MemoryDigests', () => {
  const digests = new MemoryDigests();
  return { windows: new MemoryDedupStore(digests), digests };
});
