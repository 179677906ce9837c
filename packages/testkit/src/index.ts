export { expectEventually } from './expect-eventually.ts';
