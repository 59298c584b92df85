import { MemoryDedupStore } from '../../src/dedup/memory-store.js';
import { dedupStoreContract } from './dedup-store-contract.js';

dedupStoreContract('MemoryDedupStore', () => new MemoryDedupStore());
