// The ports: what services and domain slices program against, whichever side (local or Dapr) runs them.
export * from './clock.ts';
export * from './pub-sub.ts';
export * from './actor-host.ts';
export * from './binding.ts';
export * from './object-store.ts';
export * from './key-value.ts';
