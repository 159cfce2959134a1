#include "CTuodiSQLite.h"

// SQLiteNIO's copy of SQLite (VaporCSQLite) prefixes every symbol; its header is not a product we
// can include, so the one function is declared here. The linker finds it in that copy.
extern int sqlite_nio_sqlite3_db_config(void *db, int op, ...);

// From sqlite3.h.
#define SQLITE_DBCONFIG_ENABLE_QPSG 1007

int tuodi_sqlite_enable_qpsg(void *db) {
    return sqlite_nio_sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
}
