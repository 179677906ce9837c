import { randomBytes, randomUUID } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import {
  addTransactionCapability,
  BufferJSON,
  Curve,
  generateSignalPubKey,
  getNextPreKeys,
  DEFAULT_CONNECTION_CONFIG,
  proto,
  type AuthenticationState,
  type SignalDataSet,
} from '@whiskeysockets/baileys';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStateStore } from './auth-state-store.ts';
import { loadAuthenticationState } from './authentication-state.ts';
import { createPostgresAuthStateStore } from './postgres-auth-state-store.ts';
import { createRedisAuthStateStore } from './redis-auth-state-store.ts';

const secretBox = new SecretBox({ currentKeyId: 'test', keys: { test: randomBytes(32) } });
const silent = pino({ level: 'silent' });
const encode = (value: unknown) => JSON.stringify(value, BufferJSON.replacer);

let database: TestDatabase;
let redis: Redis;
const stores: Record<string, () => AuthStateStore> = {
  postgres: () => createPostgresAuthStateStore(database.prisma),
  redis: () => createRedisAuthStateStore(redis, { keyPrefix: `test:baileys:${randomUUID()}:` }),
};

beforeAll(async () => {
  database = await createTestDatabase();
  redis = new Redis('redis://127.0.0.1:6379');
});
afterAll(async () => {
  redis.disconnect();
  await database.drop();
});

async function createInstance(): Promise<string> {
  const business = await database.prisma.business.create({ data: { name: 'Padaria' } });
  const instance = await database.prisma.instance.create({
    data: { businessId: business.id, provider: 'BAILEYS', name: 'web', slot: Math.floor(Math.random() * 1e9) },
  });
  return instance.id;
}

/** One value of every signal key type Baileys 7 writes, made with Baileys' own crypto. */
function everyKeyType(): SignalDataSet {
  const identity = Curve.generateKeyPair();
  return {
    'pre-key': { '1': Curve.generateKeyPair(), '2': Curve.generateKeyPair() },
    session: { '5511999990001.0': randomBytes(180) },
    'sender-key': { '120363025246125888@g.us::5511999990001::0': randomBytes(90) },
    'sender-key-memory': { '120363025246125888@g.us': { '5511999990001:0@s.whatsapp.net': true } },
    'app-state-sync-key': {
      AAAAAGFi: proto.Message.AppStateSyncKeyData.create({
        keyData: randomBytes(32),
        fingerprint: { rawId: 7, currentIndex: 1, deviceIndexes: [0, 1] },
        timestamp: 1767225600,
      }),
    },
    'app-state-sync-version': { regular_high: { version: 12, hash: randomBytes(128), indexValueMap: { bWFj: { valueMac: randomBytes(32) } } } },
    'lid-mapping': { '5511999990001': '123456789012345', '123456789012345_reverse': '5511999990001' },
    'device-list': { '5511999990001': ['0', '17'] },
    tctoken: { '123456789012345@lid': { token: randomBytes(24), timestamp: '1767225600' } },
    'identity-key': { '5511999990001.0': generateSignalPubKey(identity.public) },
  };
}

describe.each(Object.keys(stores))('auth state in %s', (kind) => {
  it('round-trips creds and every key type, encrypted at rest, across a reload', async () => {
    const store = stores[kind]!();
    const instanceId = await createInstance();
    const first = await loadAuthenticationState({ store, instanceId, secretBox });
    expect(first.state.creds.registered).toBe(false);
    first.state.creds.me = { id: '5511888880000:3@s.whatsapp.net', lid: '99887766554433:3@lid', name: 'Padaria' };
    await first.saveCreds();
    const data = everyKeyType();
    await first.state.keys.set(data);

    const reloaded = await loadAuthenticationState({ store, instanceId, secretBox });
    expect(encode(reloaded.state.creds)).toBe(encode(first.state.creds));
    for (const [category, values] of Object.entries(data)) {
      const read = await reloaded.state.keys.get(category as keyof typeof data, Object.keys(values!));
      expect(JSON.parse(encode(read))).toEqual(JSON.parse(encode(values)));
    }
    const syncKey = (await reloaded.state.keys.get('app-state-sync-key', ['AAAAAGFi']))['AAAAAGFi'];
    expect(syncKey).toBeInstanceOf(proto.Message.AppStateSyncKeyData);

    // At rest: SecretBox ciphertext only, never the key material.
    const sealed = await store.readKeys(instanceId, 'pre-key', ['1']);
    expect(sealed.get('1')).toMatch(/^v1\.test\./);
    expect(sealed.get('1')).not.toContain(Buffer.from(data['pre-key']!['1']!.private).toString('base64'));
    expect(await store.hasCreds(instanceId)).toBe(true);
  });

  it('deletes on null, keeps issue order for concurrent writes, refuses a value moved to another key, and clears', async () => {
    const store = stores[kind]!();
    const instanceId = await createInstance();
    const auth = await loadAuthenticationState({ store, instanceId, secretBox });
    await auth.state.keys.set({ 'lid-mapping': { a: '1', b: '2' } });
    await auth.state.keys.set({ 'lid-mapping': { a: null } });
    expect(await auth.state.keys.get('lid-mapping', ['a', 'b'])).toEqual({ b: '2' });

    const writes = Array.from({ length: 20 }, (_, index) => auth.state.keys.set({ 'device-list': { x: [String(index)] } }));
    await Promise.all(writes);
    expect(await auth.state.keys.get('device-list', ['x'])).toEqual({ x: ['19'] });

    const sealedB = (await store.readKeys(instanceId, 'lid-mapping', ['b'])).get('b')!;
    await store.writeKeys(instanceId, [{ category: 'lid-mapping', id: 'c', value: sealedB }]);
    await expect(auth.state.keys.get('lid-mapping', ['c'])).rejects.toThrow(/Cannot decrypt/);

    await auth.saveCreds();
    await auth.clear();
    expect(await store.hasCreds(instanceId)).toBe(false);
    expect(await store.readKeys(instanceId, 'lid-mapping', ['b'])).toEqual(new Map());
  });
});

describe.each(Object.keys(stores))('large batches in %s', (kind) => {
  it('a first login (1,000 pre-keys) and a 5,000-contact history sync (two LID-mapping rows each) land whole, one batch each', async () => {
    const store = stores[kind]!();
    const instanceId = await createInstance();
    const auth = await loadAuthenticationState({ store, instanceId, secretBox });
    const preKeys = Object.fromEntries(Array.from({ length: 1_000 }, (_, index) => [String(index + 1), Curve.generateKeyPair()]));
    // Before: one upsert per key in one 5 s transaction, which timed out here (npm run bench:baileys has the times).
    await auth.state.keys.set({ 'pre-key': preKeys });
    const mappings: Record<string, string> = {};
    for (let contact = 0; contact < 5_000; contact++) {
      const phone = String(5511900000000 + contact);
      const lid = String(100000000000000 + contact);
      mappings[phone] = lid;
      mappings[`${lid}_reverse`] = phone;
    }
    await auth.state.keys.set({ 'lid-mapping': mappings });

    const reloaded = await loadAuthenticationState({ store, instanceId, secretBox });
    const somePreKeys = await reloaded.state.keys.get('pre-key', ['1', '500', '1000']);
    expect(Object.keys(somePreKeys).sort()).toEqual(['1', '1000', '500']);
    expect(Buffer.from(somePreKeys['1000']!.private)).toEqual(Buffer.from(preKeys['1000']!.private));
    const lastContact = await reloaded.state.keys.get('lid-mapping', ['5511900004999', '100000000004999_reverse']);
    expect(lastContact).toEqual({ '5511900004999': '100000000004999', '100000000004999_reverse': '5511900004999' });
    if (kind === 'postgres') expect(await database.prisma.baileysAuthKey.count({ where: { instanceId } })).toBe(11_000);
    // A mixed batch larger than one statement: deletes and writes together.
    await reloaded.state.keys.set({
      'pre-key': Object.fromEntries(Array.from({ length: 1_500 }, (_, index) => [String(index + 1), index < 1_000 ? null : Curve.generateKeyPair()])),
    });
    expect(Object.keys(await reloaded.state.keys.get('pre-key', ['1', '1000', '1001', '1500']))).toEqual(['1001', '1500']);
  }, 120_000);
});

describe('auth state carries a real Signal session (Baileys’ own libsignal repository)', () => {
  function repositoryOf(state: AuthenticationState) {
    const keys = addTransactionCapability(state.keys, silent, { maxCommitRetries: 2, delayBetweenTriesMs: 10 });
    // The repository makeWASocket builds (Baileys does not export its factory by name).
    return DEFAULT_CONNECTION_CONFIG.makeSignalRepository({ creds: state.creds, keys }, silent);
  }

  it('encrypts with sessions stored in PostgreSQL, decrypts with keys stored in Redis, and continues after both reload', async () => {
    const alicePostgres = createPostgresAuthStateStore(database.prisma);
    const bobRedis = createRedisAuthStateStore(redis, { keyPrefix: `test:baileys:${randomUUID()}:` });
    const [aliceId, bobId] = [await createInstance(), await createInstance()];
    const aliceJid = '5511777770000@s.whatsapp.net';
    const bobJid = '5511666660000@s.whatsapp.net';

    const bob = await loadAuthenticationState({ store: bobRedis, instanceId: bobId, secretBox });
    const { update, preKeys } = await getNextPreKeys(bob.state, 1);
    Object.assign(bob.state.creds, update);
    await bob.saveCreds();
    const [preKeyId, preKey] = Object.entries(preKeys)[0]!;
    const signed = bob.state.creds.signedPreKey;

    const alice = await loadAuthenticationState({ store: alicePostgres, instanceId: aliceId, secretBox });
    await alice.saveCreds();
    await repositoryOf(alice.state).injectE2ESession({
      jid: bobJid,
      session: {
        registrationId: bob.state.creds.registrationId,
        identityKey: generateSignalPubKey(bob.state.creds.signedIdentityKey.public),
        signedPreKey: { keyId: signed.keyId, publicKey: generateSignalPubKey(signed.keyPair.public), signature: signed.signature },
        preKey: { keyId: Number(preKeyId), publicKey: generateSignalPubKey(preKey.public) },
      },
    });
    const first = await repositoryOf(alice.state).encryptMessage({ jid: bobJid, data: Buffer.from('olá bob') });
    expect(first.type).toBe('pkmsg');

    // Both sides restart: everything they need comes back from the stores.
    const bobAgain = await loadAuthenticationState({ store: bobRedis, instanceId: bobId, secretBox });
    const plain = await repositoryOf(bobAgain.state).decryptMessage({ jid: aliceJid, type: 'pkmsg', ciphertext: first.ciphertext });
    expect(Buffer.from(plain).toString()).toBe('olá bob');
    // The one-time pre-key was consumed and deleted (keys.set with null).
    expect(await bobRedis.readKeys(bobId, 'pre-key', [preKeyId])).toEqual(new Map());

    const reply = await repositoryOf(bobAgain.state).encryptMessage({ jid: aliceJid, data: Buffer.from('oi alice') });
    const aliceAgain = await loadAuthenticationState({ store: alicePostgres, instanceId: aliceId, secretBox });
    const replyPlain = await repositoryOf(aliceAgain.state).decryptMessage({ jid: bobJid, type: reply.type, ciphertext: reply.ciphertext });
    expect(Buffer.from(replyPlain).toString()).toBe('oi alice');
  });
});
