//! TLS through the CLI: `encrypt = "required"` against a server whose
//! certificate wsdb has no reason to trust reports the workspace
//! unreachable with a certificate cause and changes nothing; a matching
//! `ca_file`, or `trust_server_certificate = true`, lets the same run
//! through. The library-level cases (no TLS offered, `on`, another
//! server's CA) are in `engine::connect`. Always on the TDS test server,
//! which makes a fresh CA at start.

use std::sync::Arc;

use tds_test_server::TlsMode;

use super::fleet;
use crate::support::project::Project;
use crate::support::workspace_server::WorkspaceServer;

#[tokio::test]
async fn an_untrusted_certificate_fails_unless_a_ca_file_or_trust_says_otherwise() {
    let server = Arc::new(WorkspaceServer::start_test_server(TlsMode::Required).await);
    let ca_pem = server
        .test_server()
        .and_then(|s| s.ca_certificate_pem())
        .map(str::to_owned)
        .expect("the test server's CA");
    let mut project = Project::new(server).await;
    project.set("mssql", "encrypt", "\"required\"");
    project.set("mssql", "trust_server_certificate", "false");
    let ids = project.add_workspaces("tls", 2).await;
    fleet::write_migrations(&project, 1, std::time::Duration::ZERO).await;

    let refused = project
        .wsdb(&["migrate", "--all", "--format", "json"])
        .run()
        .await;
    refused.expect_code(1);
    let document = refused.json();
    for entry in document["workspaces"].as_array().expect("workspaces") {
        assert_eq!(entry["status"], "unreachable", "{refused}");
        let cause = entry["cause"].as_str().unwrap_or_default();
        assert!(cause.contains("certificate"), "{cause}");
    }
    let states = fleet::read_all(&project, &ids).await;
    assert!(states.iter().all(|(_, s)| s.version() == 0));

    project.set("mssql", "trust_server_certificate", "true");
    project
        .wsdb(&["migrate", "-w", &ids[1]])
        .run()
        .await
        .expect_code(0);

    project.set("mssql", "trust_server_certificate", "false");
    let ca_file = project.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).expect("write the CA file");
    project.set(
        "mssql",
        "ca_file",
        &format!("{:?}", ca_file.display().to_string()),
    );
    project
        .wsdb(&["migrate", "-w", &ids[0]])
        .run()
        .await
        .expect_code(0);
    let states = fleet::read_all(&project, &ids).await;
    fleet::assert_consistent(&states, 1, "after the trusted runs");
    assert!(states.iter().all(|(_, s)| s.version() == 1));
}
