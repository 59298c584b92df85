import { inject } from 'vitest';

/**
 * Points the AWS SDK at the run's moto server with fake credentials. Call it at the top of an
 * integration test file, before any client is created.
 */
export const useMoto = (): string => {
  const endpoint = inject('motoEndpoint');
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_SESSION_TOKEN = 'testing';
  return endpoint;
};
