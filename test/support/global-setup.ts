import type { TestProject } from 'vitest/node';
import { startMoto } from '../../src/cli/local/emulator.js';

/**
 * One moto server for the whole run. Tests reach it through AWS_ENDPOINT_URL, exactly as a
 * user points the CLI or the handler at an emulator.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMoto();
  project.provide('motoEndpoint', moto.endpoint);
  return moto.stop;
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
