export * from './meta-signature.ts';
export * from './webhook-payloads.ts';
export * from './meta-fixtures.ts';
export * from './graph-errors.ts';
export * from './graph-api-server.ts';
export * from './post-signed-webhook.ts';
