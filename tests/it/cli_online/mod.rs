//! The online commands end to end: the real `wsdb` binary against a real
//! PostgreSQL control database and the TDS test server (or a real SQL
//! Server with `WSDB_TEST_MSSQL_URL`).

mod smoke;
