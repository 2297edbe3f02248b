import { underNode } from '../../db/dialect.js';
import type { Executor, ImportFilesTable } from '../../db/schema.js';

/**
 * The import's own table, plus the bulk look-ups an import makes into the register (by document hash, by
 * household code, the buildings and units under a node). They are read-only and batched (hundreds of keys
 * per statement), which the residents, households and regions repositories do not offer one key at a time.
 */
export const importsRepository = {
  async insert(db: Executor, row: ImportFilesTable) {
    await db.insertInto('import_files').values(row).execute();
  },

  uploadedBefore(db: Executor, cutoff: number) {
    return db.selectFrom('import_files').select(['id', 'file_path']).where('created_at', '<', cutoff).execute();
  },

  async delete(db: Executor, id: string) {
    await db.deleteFrom('import_files').where('id', '=', id).execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('import_files').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Whole resident rows (an update needs the version and the masked values for its audit diff). */
  async residentsByDocuments(db: Executor, docType: string, hashes: string[]) {
    const out = [];
    for (let i = 0; i < hashes.length; i += 500) {
      out.push(...(await db.selectFrom('residents').selectAll().where('doc_type', '=', docType).where('doc_number_hash', 'in', hashes.slice(i, i + 500)).execute()));
    }
    return out;
  },

  async householdsByCodes(db: Executor, codes: string[]) {
    const out = [];
    for (let i = 0; i < codes.length; i += 500) {
      out.push(...(await db.selectFrom('households').select(['id', 'code']).where('code', 'in', codes.slice(i, i + 500)).execute()));
    }
    return out;
  },

  /** Buildings and units under a node, and the node's own name: what rows' addresses are matched against. */
  buildingsAndUnits(db: Executor, node: string) {
    return db
      .selectFrom('region_nodes')
      .select(['code', 'parent_code', 'level', 'name'])
      .where(underNode('code', node))
      .where('level', 'in', ['building', 'unit'])
      .orderBy('code')
      .execute();
  },
};
