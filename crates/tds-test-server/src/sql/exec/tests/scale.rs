//! The sizes the server must hold: 1,000 databases in one catalog and 200
//! sessions at once, all working concurrently.

use std::sync::Arc;

use crate::sql::testkit::{Replies, info, ok};
use crate::sql::{Catalog, Param, Value};

#[tokio::test]
async fn a_thousand_databases_in_one_catalog() {
    let catalog = Catalog::new().unwrap();
    for i in 0..1000 {
        catalog.create_database(&format!("ws{i:04}")).unwrap();
    }
    assert_eq!(catalog.database_names().len(), 1001);
    for (spid, name) in [(51, "ws0000"), (52, "ws0999")] {
        let mut s = catalog.open_session(info(spid, name)).unwrap();
        ok(&mut s, "CREATE TABLE t (id INT); INSERT INTO t VALUES (1)").await;
        let r = ok(
            &mut s,
            "SELECT COUNT(*), (SELECT COUNT(*) FROM t) FROM sys.databases",
        )
        .await;
        assert_eq!(r.rows(), vec![vec![Value::Int(1001), Value::Int(1)]]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_sessions_work_at_once() {
    const SESSIONS: u16 = 200;
    const DATABASES: u16 = 20;
    let catalog = Catalog::new().unwrap();
    for db in 0..DATABASES {
        let name = format!("db{db}");
        catalog.create_database(&name).unwrap();
        let mut setup = catalog.open_session(info(1000 + db, &name)).unwrap();
        ok(
            &mut setup,
            "CREATE TABLE runs (spid INT PRIMARY KEY, db SYSNAME NOT NULL)",
        )
        .await;
    }
    let all_open = Arc::new(tokio::sync::Barrier::new(usize::from(SESSIONS) + 1));
    let all_done = Arc::new(tokio::sync::Barrier::new(usize::from(SESSIONS) + 1));
    let mut tasks = Vec::new();
    for i in 0..SESSIONS {
        let (catalog, all_open, all_done) = (catalog.clone(), all_open.clone(), all_done.clone());
        tasks.push(tokio::spawn(async move {
            let spid = 51 + i;
            let mut s = catalog.open_session(info(spid, &format!("db{}", i % DATABASES))).unwrap();
            all_open.wait().await;
            let lock = "DECLARE @r INT; EXEC @r = sp_getapplock @Resource = 'wsdb', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1; SELECT @r";
            let code = s.execute(lock, &[]).await.scalar();
            assert!(matches!(code, Value::Int(0 | 1)), "{code:?}");
            let params = [Param { name: "@P1".into(), value: Value::Int(i32::from(spid)) }];
            let r = s.execute("SET XACT_ABORT ON; BEGIN TRAN; INSERT INTO runs VALUES (@P1, DB_NAME()); COMMIT", &params).await;
            assert!(r.errors().is_empty(), "{r:?}");
            ok(&mut s, "EXEC sp_releaseapplock @Resource = 'wsdb', @LockOwner = 'Session'").await;
            all_done.wait().await;
            drop(s);
        }));
    }
    all_open.wait().await;
    let mut observer = catalog.open_session(info(2000, "master")).unwrap();
    let r = ok(&mut observer, "SELECT COUNT(*) FROM sys.dm_exec_sessions").await;
    assert_eq!(r.scalar(), Value::Int(i32::from(SESSIONS) + 1));
    all_done.wait().await;
    for task in tasks {
        task.await.unwrap();
    }
    for db in 0..DATABASES {
        let mut s = catalog
            .open_session(info(3000 + db, &format!("db{db}")))
            .unwrap();
        let r = ok(&mut s, "SELECT COUNT(*) FROM runs WHERE db = DB_NAME()").await;
        assert_eq!(r.scalar(), Value::Int(i32::from(SESSIONS / DATABASES)));
    }
    let r = ok(&mut observer, "SELECT COUNT(*) FROM sys.dm_tran_locks").await;
    assert_eq!(r.scalar(), Value::Int(0));
}
