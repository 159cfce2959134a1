#ifndef C_TUODI_SQLITE_H
#define C_TUODI_SQLITE_H

/// Turns on SQLite's query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG) on `db`, an
/// open `sqlite3 *` of SQLiteNIO's copy of SQLite. Returns SQLite's result code.
///
/// Why C: `sqlite3_db_config` is variadic, and Swift cannot call a variadic C function.
int tuodi_sqlite_enable_qpsg(void *db);

#endif
