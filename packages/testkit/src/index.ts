export { expectEventually } from './expect-eventually.ts';
export { mediaSamples } from './media-samples.ts';
