// `npm run bench:products` — the catalogue search (buscar_producto, GET /api/products?q=) on a 10,000-product
// catalogue: p50/p95/max latency of searchProducts, one query at a time, on PostgreSQL and on PGlite (the embedded
// database of `npm start`). Target: p95 < 20 ms.
//
// Creates a fresh database, a business with `products` generated products (type × brand × colour × size, Spanish
// names, accents included) plus a second business of the same size (the index holds both, the query must not read
// the other's), then asks each query `rounds` times after one warm-up and times the database call.
//
//   npm run bench:products -- --products=10000 --rounds=50 --engines=postgres,pglite
import { randomUUID } from 'node:crypto';
import { migrateDatabase, openDatabase, searchProducts, type Database, type PrismaClient } from '@app/db';
import { createTestDatabase } from '@app/db/testing';
import { productSearchText } from '@app/domain';
import { describeMachine, percentile, readOptions, verdict } from './bench/bench-support.ts';

const options = readOptions({ products: 10_000, rounds: 50, engines: 'postgres,pglite' });

const kinds = [
  'Camisa',
  'Camiseta',
  'Pantalón',
  'Zapatos',
  'Zapatillas',
  'Chaqueta',
  'Vestido',
  'Gorra',
  'Pan',
  'Galletas',
  'Café',
  'Té',
  'Mermelada',
  'Queso',
  'Jabón',
  'Champú',
  'Mochila',
  'Cinturón',
  'Bufanda',
  'Calcetines',
];
const variants = [
  'Nike',
  'Adidas',
  'Puma',
  'integral',
  'de centeno',
  'artesanal',
  'orgánico',
  'clásico',
  'premium',
  'básico',
  'deportivo',
  'infantil',
  'de mujer',
  'de hombre',
  'de lino',
  'de algodón',
  'sin gluten',
  'ecológico',
  'de temporada',
  'edición limitada',
];
const colours = ['azul', 'rojo', 'negro', 'blanco', 'verde', 'gris', 'marrón', 'rosa', 'amarillo', 'beige'];
const sizes = ['talla S', 'talla M', 'talla L', 'talla 38', 'talla 40', 'talla 42', '500 g', '1 kg', '250 ml', 'pack de 3'];

function* productNames(count: number): Generator<{ name: string; category: string }> {
  for (let index = 0; index < count; index += 1) {
    const kind = kinds[index % kinds.length]!;
    const variant = variants[Math.floor(index / kinds.length) % variants.length]!;
    const colour = colours[Math.floor(index / (kinds.length * variants.length)) % colours.length]!;
    // Mixed in so every size appears among the first products too ("zapatos nike 42" must have a 42 to find).
    const size = sizes[(Math.floor(index / kinds.length) + Math.floor(index / (kinds.length * variants.length))) % sizes.length]!;
    yield { name: `${kind} ${variant} ${colour} ${size}`, category: kind };
  }
}

async function seedCatalogue(prisma: PrismaClient, businessId: string, count: number): Promise<void> {
  const rows = [...productNames(count)].map(({ name, category }, index) => ({
    id: randomUUID(),
    businessId,
    name,
    category,
    sku: `SKU-${index}`,
    priceMinor: 100 + (index % 9_900),
    currency: 'EUR',
    stock: index % 3 === 0 ? null : index % 50,
    searchText: productSearchText({ name, category, sku: `SKU-${index}` }),
  }));
  for (let start = 0; start < rows.length; start += 1_000) await prisma.product.createMany({ data: rows.slice(start, start + 1_000) });
}

const queries = [
  'camisa azl',
  'pan intergral',
  'zapatos nike 42',
  'cafe organico',
  'chaketa negra talla m',
  'galletas sin gluten',
  'mochila',
  'sku-4242',
  'xyzzy nada',
];

async function run(engine: 'postgres' | 'pglite') {
  let database: Database & { drop?: () => Promise<void> };
  if (engine === 'postgres') database = await createTestDatabase();
  else {
    database = await openDatabase();
    await migrateDatabase(database);
  }
  const prisma = database.prisma;
  console.log((await describeMachine(database)).join('\n'));
  const business = await prisma.business.create({ data: { name: 'Bench shop' } });
  const neighbour = await prisma.business.create({ data: { name: 'Neighbour' } });
  const seeding = performance.now();
  await seedCatalogue(prisma, business.id, options.products);
  await seedCatalogue(prisma, neighbour.id, options.products);
  await prisma.$executeRawUnsafe('ANALYZE "product"');
  console.log(`${engine}: seeded ${2 * options.products} products in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const rows: Array<{ query: string; top: string; p50: number; p95: number; max: number }> = [];
  const all: number[] = [];
  for (const query of queries) {
    const search = () => searchProducts(prisma, { businessId: business.id, query, limit: 5, activeOnly: true });
    const [top] = await search();
    const times: number[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const started = performance.now();
      await search();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    rows.push({ query, top: top?.name ?? '(none)', p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times.at(-1)! });
  }
  all.sort((a, b) => a - b);
  console.log(`\n${engine}, ${options.products} products per business, ${options.rounds} rounds per query:`);
  console.log('| query | first match | p50 ms | p95 ms | max ms |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(`| \`${row.query}\` | ${row.top} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.max.toFixed(1)} |`);
  const p95 = percentile(all, 0.95);
  console.log(`all queries: p50 ${percentile(all, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms — target p95 < 20 ms: ${verdict(p95 < 20)}`);
  if (database.drop) await database.drop();
  else await database.close();
}

for (const engine of options.engines.split(',') as Array<'postgres' | 'pglite'>) await run(engine);
