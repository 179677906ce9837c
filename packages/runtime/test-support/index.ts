export type { MakeActorHostHarness } from './actor-host-contract.ts';
export { describeActorHostContract } from './actor-host-contract.ts';
export type { ActorHostHarness, ActorHostHarnessOptions } from './actor-host-contract.ts';
export { contractActorType, createContractCounterActor, DeliveryRecorder } from './contract-counter-actor.ts';
export type { CounterState } from './contract-counter-actor.ts';
