import { describeClusterStoreContract } from './test/cluster-store-contract.js';
import { createMemoryClusterStore } from './memory-cluster-store.js';

describeClusterStoreContract('memory', async (o) => createMemoryClusterStore(o));
