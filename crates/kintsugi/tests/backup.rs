//! `kintsugi backup` on a running server: the real binary serves, people
//! write through HTTP, a backup is taken while writes keep coming, and a
//! server started on the restored copy has everything acknowledged before
//! the backup began — including a transparency log that still verifies —
//! and nothing half-written.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

const PASSWORD: &str = "a calm long phrase";

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn serve(data_dir: &Path) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_kintsugi"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data_dir)
        .env("KINTSUGI_LOG", "warn")
        .env_remove("KINTSUGI_DATABASE_URL")
        .stdout(Stdio::null())
        .spawn()
        .expect("kintsugi serve starts");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let http = Client::new();
    for _ in 0..300 {
        if let Ok(r) = http.get(format!("{}/health", server.base)).send().await {
            if r.status() == StatusCode::OK {
                return server;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become healthy");
}

/// A person speaking to the API with their bearer token.
#[derive(Clone)]
struct Person {
    http: Client,
    base: String,
    token: String,
}

impl Person {
    async fn signup(base: &str, name: &str) -> Self {
        let http = Client::new();
        let r = http
            .post(format!("{base}/api/v1/signup"))
            .json(&json!({"username": name, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let token = r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let me = Self {
            http,
            base: base.to_owned(),
            token,
        };
        let answers: serde_json::Map<String, Value> = kintsugi_core::safety::QUESTIONS
            .iter()
            .map(|q| (q.id.to_owned(), json!(q.safe_answer.as_str())))
            .collect();
        me.post("/api/v1/safety-check", json!({ "answers": answers }))
            .await;
        me
    }

    async fn login(base: &str, name: &str) -> Self {
        let http = Client::new();
        let r = http
            .post(format!("{base}/api/v1/login"))
            .json(&json!({"username": name, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{name} logs in");
        let token = r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        Self {
            http,
            base: base.to_owned(),
            token,
        }
    }

    async fn try_post(&self, path: &str, body: Value) -> reqwest::Result<reqwest::Response> {
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let r = self.try_post(path, body).await.unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap()
    }

    async fn get(&self, path: &str) -> Value {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        r.json().await.unwrap()
    }
}

fn journal_entry(text: &str) -> Value {
    json!({"feelings": ["hopeful"], "intensity": 4, "text": text})
}

fn disclosure(text: &str) -> Value {
    json!({"category": "whereabouts", "occurred_at": "2026-11-20T19:05", "text": text})
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kintsugi"))
        .args(args)
        .env_remove("KINTSUGI_DATABASE_URL")
        .env_remove("KINTSUGI_DATA_DIR")
        .output()
        .expect("kintsugi runs")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_writes_continue_restores_to_a_working_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = serve(&data).await;

    // A couple, a journal entry and a transparency log, through HTTP.
    let ana = Person::signup(&server.base, "ana").await;
    let ben = Person::signup(&server.base, "ben").await;
    ana.post("/api/v1/couple", json!({"role": "hurt"})).await;
    let invitation = ana.post("/api/v1/couple/invitations", json!({})).await;
    let token = invitation["token"].as_str().unwrap();
    ben.post(&format!("/api/v1/invitations/{token}/accept"), json!({}))
        .await;
    ana.post(
        "/api/v1/journal",
        journal_entry("before the backup: saltmarsh"),
    )
    .await;
    for i in 0..3 {
        ben.post(
            "/api/v1/transparency",
            disclosure(&format!("Disclosure {i} before the backup.")),
        )
        .await;
    }
    let seen: Value = ben.get("/api/v1/transparency/bundle").await;
    let seen_checkpoint = seen["checkpoints"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    let key = seen["key"].as_str().unwrap().to_owned();

    // Writes keep coming while the backup runs: journal entries from Ana,
    // disclosures from Ben, each counted once acknowledged.
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for (who, kind) in [(ana.clone(), "journal"), (ben.clone(), "disclosure")] {
        let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let words = format!("during the backup {n}");
                let (path, body) = match kind {
                    "journal" => ("/api/v1/journal", journal_entry(&words)),
                    _ => ("/api/v1/transparency", disclosure(&words)),
                };
                let r = who.try_post(path, body).await.unwrap();
                assert!(r.status().is_success(), "{path}: {}", r.status());
                acknowledged.fetch_add(1, Ordering::SeqCst);
                n += 1;
            }
            n
        }));
    }
    while acknowledged.load(Ordering::SeqCst) < 10 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let backup_dir = dir.path().join("backup");
    let backup = {
        let (data, to) = (data.clone(), backup_dir.clone());
        tokio::task::spawn_blocking(move || {
            run(&[
                "backup".as_ref(),
                "--data-dir".as_ref(),
                data.as_os_str(),
                "--to".as_ref(),
                to.as_os_str(),
            ])
        })
        .await
        .unwrap()
    };
    let during = acknowledged.load(Ordering::SeqCst);
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    assert!(backup.status.success(), "{}", text(&backup));
    assert!(text(&backup).contains("Backed up to"), "{}", text(&backup));
    for file in ["kintsugi.db", "secret.key", "transparency.key"] {
        assert!(backup_dir.join(file).exists(), "{file} is in the backup");
    }
    // A second backup into the same place is refused, not overwritten.
    let again = run(&[
        "backup".as_ref(),
        "--data-dir".as_ref(),
        data.as_os_str(),
        "--to".as_ref(),
        backup_dir.as_os_str(),
    ]);
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"));
    assert!(during >= 10, "writes went on while the backup ran");
    drop(server);

    // Restore into a fresh data directory and start a server on it.
    let restored = dir.path().join("restored");
    std::fs::create_dir_all(&restored).unwrap();
    for file in ["kintsugi.db", "secret.key", "transparency.key"] {
        std::fs::copy(backup_dir.join(file), restored.join(file)).unwrap();
    }
    let server = serve(&restored).await;
    let ana = Person::login(&server.base, "ana").await;
    let ben = Person::login(&server.base, "ben").await;
    let journal = ana.get("/api/v1/journal").await;
    let entries = journal.as_array().expect("a list of entries");
    assert!(entries
        .iter()
        .any(|e| e["text"] == "before the backup: saltmarsh"));
    let couple = ana.get("/api/v1/couple").await;
    assert_eq!(couple["partner"]["username"], "ben");

    // The log: at least what was there before, and it still extends the
    // checkpoint Ben saw then, under the same pinned key.
    let bundle = ana.get("/api/v1/transparency/bundle").await;
    let restored_entries = bundle["entries"].as_array().unwrap().len();
    assert!(restored_entries >= 3, "{restored_entries} entries");
    let log = dir.path().join("kintsugi-log.json");
    std::fs::write(&log, bundle.to_string()).unwrap();
    let since = dir.path().join("checkpoint.txt");
    std::fs::write(&since, &seen_checkpoint).unwrap();
    let verified = run(&[
        "verify-log".as_ref(),
        log.as_os_str(),
        "--since".as_ref(),
        since.as_os_str(),
        "--key".as_ref(),
        key.as_ref(),
    ]);
    assert!(verified.status.success(), "{}", text(&verified));
    assert!(text(&verified).contains("Verified"));

    // The restored server takes new writes, and its log keeps growing.
    ben.post("/api/v1/transparency", disclosure("After the restore."))
        .await;
    let bundle = ben.get("/api/v1/transparency/bundle").await;
    assert_eq!(
        bundle["entries"].as_array().unwrap().len(),
        restored_entries + 1
    );

    // The host's export of Ana reads the restored database.
    let out = dir.path().join("ana.md");
    let export = run(&[
        "export".as_ref(),
        "--user".as_ref(),
        "ana".as_ref(),
        "--format".as_ref(),
        "markdown".as_ref(),
        "--data-dir".as_ref(),
        restored.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(export.status.success(), "{}", text(&export));
    let markdown = std::fs::read_to_string(&out).unwrap();
    assert!(markdown.contains("saltmarsh"));
    assert!(markdown.contains("Disclosure 0 before the backup."));
    let unknown = run(&[
        "export".as_ref(),
        "--user".as_ref(),
        "nobody".as_ref(),
        "--data-dir".as_ref(),
        restored.as_os_str(),
    ]);
    assert!(!unknown.status.success());
    assert!(text(&unknown).contains("no account is named"));
}

#[test]
fn on_postgresql_backup_copies_the_keys_and_gives_the_pg_dump_command() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("secret.key"), [7u8; 32]).unwrap();
    std::fs::write(data.join("transparency.key"), "a key file").unwrap();
    let to = dir.path().join("backup");
    let o = run(&[
        "backup".as_ref(),
        "--data-dir".as_ref(),
        data.as_os_str(),
        "--database-url".as_ref(),
        "postgres://kintsugi@localhost/kintsugi".as_ref(),
        "--to".as_ref(),
        to.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let said = text(&o);
    assert!(said.contains("pg_dump --format=custom"), "{said}");
    assert!(said.contains("postgres://kintsugi@localhost/kintsugi"));
    assert_eq!(std::fs::read(to.join("secret.key")).unwrap(), [7u8; 32]);
    assert!(to.join("transparency.key").exists());

    let missing = run(&[
        "backup".as_ref(),
        "--data-dir".as_ref(),
        dir.path().join("nowhere").as_os_str(),
        "--to".as_ref(),
        dir.path().join("b2").as_os_str(),
    ]);
    assert!(!missing.status.success());
    assert!(text(&missing).contains("cannot read"));
}
