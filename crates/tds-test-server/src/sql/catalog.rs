//! [`Catalog`]: the server-wide state every session shares — the databases
//! (one SQLite file each in a temp dir that lives as long as the last clone
//! or session), the live sessions shown by `sys.dm_exec_sessions`, the app
//! locks, and one write permit per database.
//!
//! The write permit serializes writers per database before they reach
//! SQLite, so a second writer waits asynchronously (cancel-safe, honouring
//! LOCK_TIMEOUT) instead of blocking a runtime thread on SQLite's busy
//! handler. Statement execution is `session`'s; this module never runs SQL
//! except to create a database file.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{NaiveDateTime, Utc};
use tokio::sync::Semaphore;

use super::applock::AppLocks;
use super::session::Session;
use super::{SessionInfo, SqlError, errors, storage};

/// The id SQL Server gives `master`; user databases start at 5 because
/// tempdb, model and msdb take 2 to 4.
pub(crate) const MASTER_ID: i32 = 1;
const FIRST_USER_DATABASE_ID: i32 = 5;

#[derive(Debug)]
pub(crate) struct Database {
    pub id: i32,
    pub name: String,
    pub path: PathBuf,
    pub created: NaiveDateTime,
    /// One permit: held by the session whose SQLite write transaction is open.
    pub writer: Arc<Semaphore>,
    /// `ALTER DATABASE ... SET` options (upper-case names and values).
    options: Mutex<BTreeMap<String, String>>,
}

impl Database {
    pub fn set_option(&self, name: &str, value: &str) {
        lock(&self.options).insert(name.to_string(), value.to_string());
    }

    pub fn option(&self, name: &str) -> Option<String> {
        lock(&self.options).get(name).cloned()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct SessionEntry {
    pub info: SessionInfo,
    pub database_id: i32,
    pub login_time: NaiveDateTime,
}

#[derive(Debug, Default)]
struct Databases {
    by_key: HashMap<String, Arc<Database>>,
    next_id: i32,
}

#[derive(Debug)]
pub(crate) struct CatalogInner {
    dir: tempfile::TempDir,
    /// An empty database file new databases are copied from.
    template: PathBuf,
    databases: Mutex<Databases>,
    sessions: Mutex<BTreeMap<u16, SessionEntry>>,
    pub locks: AppLocks,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Database names compare case-insensitively, as under SQL Server's default
/// collation.
fn key(name: &str) -> String {
    name.to_lowercase()
}

impl CatalogInner {
    pub fn database(&self, name: &str) -> Option<Arc<Database>> {
        lock(&self.databases).by_key.get(&key(name)).cloned()
    }

    pub fn database_by_id(&self, id: i32) -> Option<Arc<Database>> {
        lock(&self.databases)
            .by_key
            .values()
            .find(|d| d.id == id)
            .cloned()
    }

    /// All databases, ordered by id.
    pub fn databases(&self) -> Vec<Arc<Database>> {
        let mut all: Vec<_> = lock(&self.databases).by_key.values().cloned().collect();
        all.sort_by_key(|d| d.id);
        all
    }

    pub fn create_database(&self, name: &str) -> Result<Arc<Database>, SqlError> {
        if name.is_empty() || name.chars().count() > 128 {
            return Err(errors::not_supported(&format!(
                "the database name '{name}'"
            )));
        }
        let mut databases = lock(&self.databases);
        if databases.by_key.contains_key(&key(name)) {
            return Err(errors::database_exists(name));
        }
        let id = databases.next_id;
        let path = self.dir.path().join(format!("db{id}.sqlite"));
        storage::copy_database_file(&self.template, &path)?;
        databases.next_id = if id == MASTER_ID {
            FIRST_USER_DATABASE_ID
        } else {
            id + 1
        };
        let database = Arc::new(Database {
            id,
            name: name.to_string(),
            path,
            created: Utc::now().naive_utc(),
            writer: Arc::new(Semaphore::new(1)),
            options: Mutex::new(BTreeMap::new()),
        });
        databases.by_key.insert(key(name), database.clone());
        Ok(database)
    }

    pub fn register_session(&self, info: SessionInfo, database_id: i32) {
        let entry = SessionEntry {
            info,
            database_id,
            login_time: Utc::now().naive_utc(),
        };
        lock(&self.sessions).insert(entry.info.spid, entry);
    }

    pub fn set_session_database(&self, spid: u16, database: &Database) {
        if let Some(entry) = lock(&self.sessions).get_mut(&spid) {
            entry.database_id = database.id;
            entry.info.database = database.name.clone();
        }
    }

    pub fn unregister_session(&self, spid: u16) {
        lock(&self.sessions).remove(&spid);
    }

    /// Live sessions ordered by spid.
    pub fn sessions(&self) -> Vec<SessionEntry> {
        lock(&self.sessions).values().cloned().collect()
    }
}

/// All databases of one server, and server-wide state (app locks, sessions).
#[derive(Clone)]
pub struct Catalog {
    inner: Arc<CatalogInner>,
}

impl Catalog {
    /// A fresh server: `master` only, its files in a new temp dir that is
    /// removed when the last clone of the catalog and its sessions drop.
    pub fn new() -> Result<Catalog, SqlError> {
        let dir = tempfile::Builder::new()
            .prefix("tds-test-server-")
            .tempdir()
            .map_err(|e| errors::internal(&format!("cannot create the data directory: {e}")))?;
        let template = dir.path().join("template.sqlite");
        storage::create_database_file(&template)?;
        let inner = CatalogInner {
            dir,
            template,
            databases: Mutex::new(Databases {
                by_key: HashMap::new(),
                next_id: MASTER_ID,
            }),
            sessions: Mutex::new(BTreeMap::new()),
            locks: AppLocks::default(),
        };
        inner.create_database("master")?;
        Ok(Catalog {
            inner: Arc::new(inner),
        })
    }

    /// Creates an empty database; error 1801 if the name is taken.
    pub fn create_database(&self, name: &str) -> Result<(), SqlError> {
        self.inner.create_database(name).map(|_| ())
    }

    pub fn has_database(&self, name: &str) -> bool {
        self.inner.database(name).is_some()
    }

    /// Database names, `master` first, then in creation order.
    pub fn database_names(&self) -> Vec<String> {
        self.inner
            .databases()
            .iter()
            .map(|d| d.name.clone())
            .collect()
    }

    /// Opens a session in `info.database`; error 4060 if it does not exist.
    /// No SQLite connection is opened until the session runs a statement.
    pub fn open_session(&self, info: SessionInfo) -> Result<Session, SqlError> {
        let database = self
            .inner
            .database(&info.database)
            .ok_or_else(|| errors::cannot_open_database(&info.database))?;
        Ok(Session::new(self.inner.clone(), info, database))
    }

    #[cfg(test)]
    pub(crate) fn inner(&self) -> &Arc<CatalogInner> {
        &self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(spid: u16, database: &str) -> SessionInfo {
        SessionInfo {
            spid,
            database: database.into(),
            login: "sa".into(),
            host: "h".into(),
            program: "p".into(),
        }
    }

    #[test]
    fn master_exists_and_names_are_case_insensitive() {
        let catalog = Catalog::new().unwrap();
        assert!(catalog.has_database("MASTER"));
        catalog.create_database("Acme").unwrap();
        assert!(catalog.has_database("acme"));
        assert_eq!(catalog.create_database("ACME").unwrap_err().number, 1801);
        assert_eq!(catalog.database_names(), ["master", "Acme"]);
        assert_eq!(
            catalog.inner().database("acme").unwrap().id,
            FIRST_USER_DATABASE_ID
        );
    }

    #[test]
    fn sessions_need_an_existing_database() {
        let catalog = Catalog::new().unwrap();
        let err = catalog.open_session(info(51, "nope")).err().unwrap();
        assert_eq!((err.number, err.class), (4060, 11));
        let session = catalog.open_session(info(52, "master")).unwrap();
        assert_eq!(session.database(), "master");
        assert_eq!(catalog.inner().sessions().len(), 1);
        drop(session);
        assert!(catalog.inner().sessions().is_empty());
    }

    #[test]
    fn the_data_directory_goes_with_the_last_user() {
        let catalog = Catalog::new().unwrap();
        let dir = catalog.inner().dir.path().to_path_buf();
        let session = catalog.open_session(info(51, "master")).unwrap();
        drop(catalog);
        assert!(dir.exists(), "the session still uses it");
        drop(session);
        assert!(!dir.exists());
    }
}
