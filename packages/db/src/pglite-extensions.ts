import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/**
 * The PostgreSQL extensions the migrations create, for the embedded database: PGlite ships contrib extensions as
 * separate bundles that must be loaded when the database opens. pg_trgm serves the trigram indexes (inbox search,
 * product search); btree_gist the appointments' exclusion constraint (ADR 0022) and the product search's GiST index
 * that leads with the business id.
 */
export function createPglite(dataDir?: string): Promise<PGlite> {
  return PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm, btree_gist } });
}
