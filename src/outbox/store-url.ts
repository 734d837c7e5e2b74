/** What the commands need of the PostgreSQL outbox besides the `Outbox` itself. */
export { migrateSqliteToPostgres } from './postgres/migrate-to.js';
export { isPostgresUrl, redactUrl } from './postgres/store.js';
