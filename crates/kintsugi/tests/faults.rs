//! The real binary on bad days: killed mid-write, asked to stop while
//! requests are in flight, and cut off from its database. Each test starts
//! `kintsugi serve` as a host would and speaks HTTP to it.
//!
//! - Crash safety: writers save check-ins, journal entries and disclosures
//!   while the server is killed with SIGKILL at a random moment, round after
//!   round. After each kill every write that was acknowledged (a 2xx answer
//!   arrived) must be in the database, `PRAGMA integrity_check` must say
//!   `ok`, and the transparency log must still verify with `kintsugi
//!   verify-log` — and extend the last checkpoint a writer was given, so a
//!   crash cannot roll the log back. `KINTSUGI_CRASH_ROUNDS` sets the number
//!   of rounds (20 by default).
//! - Graceful shutdown: on SIGTERM a request whose body is still arriving
//!   is finished and saved, new connections are refused, and a live-update
//!   stream does not keep the server from exiting.
//! - The database going away: a full disk under SQLite (a small tmpfs, so
//!   this one needs root, as CI has), and PostgreSQL cut off behind a proxy. People get a calm 503
//!   (a page or JSON), the server stays up, and it recovers by itself when
//!   the database returns.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand_core::RngCore;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

const PASSWORD: &str = "a calm long phrase";
const DISCLOSED_AT: &str = "2025-06-01T09:00";

/// `kintsugi serve` on a port of its own, killed when dropped.
struct Server {
    child: Child,
    base: String,
    port: u16,
}

impl Server {
    fn start(data_dir: &Path, database_url: Option<&str>) -> Self {
        let port = free_port();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data_dir.with_extension("log"))
            .expect("server log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_kintsugi"));
        command
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(data_dir)
            .env("KINTSUGI_LOG", "warn")
            .env_remove("KINTSUGI_DATABASE_URL")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null());
        if let Some(url) = database_url {
            command.arg("--database-url").arg(url);
        }
        let child = command.spawn().expect("kintsugi starts");
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            port,
        }
    }

    /// Waits until the server answers its health check.
    async fn ready(self) -> Self {
        let http = client();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(r) = http.get(format!("{}/health", self.base)).send().await {
                if r.status() == StatusCode::OK {
                    return self;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not become ready on port {}", self.port);
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name} failed");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A person using the API with their bearer token; the token outlives
/// restarts of the server, as sessions live in the database.
#[derive(Clone)]
struct Person {
    http: Client,
    token: String,
}

impl Person {
    async fn post(
        &self,
        base: &str,
        path: &str,
        body: Value,
    ) -> reqwest::Result<reqwest::Response> {
        self.http
            .post(format!("{base}{path}"))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
    }

    async fn get(&self, base: &str, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{base}{path}"))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("the server answers")
    }
}

async fn sign_up(base: &str, name: &str) -> Person {
    let http = client();
    let r = http
        .post(format!("{base}/api/v1/signup"))
        .json(&json!({"username": name, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "sign-up of {name}");
    let body: Value = r.json().await.unwrap();
    let person = Person {
        http,
        token: body["token"].as_str().unwrap().to_owned(),
    };
    let answers: serde_json::Map<String, Value> = kintsugi_core::safety::QUESTIONS
        .iter()
        .map(|q| (q.id.to_owned(), json!(q.safe_answer.as_str())))
        .collect();
    let r = person
        .post(base, "/api/v1/safety-check", json!({ "answers": answers }))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "safety check of {name}");
    person
}

/// Ana (hurt) and Ben (repairing), linked and past the safety check.
async fn couple(base: &str) -> (Person, Person) {
    let ana = sign_up(base, "ana").await;
    let r = ana
        .post(base, "/api/v1/couple", json!({"role": "hurt"}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "couple created");
    let r = ana
        .post(base, "/api/v1/couple/invitations", json!({}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "invitation made");
    let invitation: Value = r.json().await.unwrap();
    let ben = sign_up(base, "ben").await;
    let r = ben
        .post(
            base,
            &format!(
                "/api/v1/invitations/{}/accept",
                invitation["token"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "invitation accepted");
    (ana, ben)
}

fn check_in(act: &str) -> Value {
    json!({"trust": 6, "safety": 7, "connection": 5, "act_kind": "honesty", "act": act, "visibility": "shared"})
}

fn journal(text: &str) -> Value {
    json!({"feelings": ["tender"], "intensity": 4, "text": text})
}

fn disclosure(text: &str) -> Value {
    json!({"category": "whereabouts", "occurred_at": DISCLOSED_AT, "text": text})
}

/// What the writers were told was saved.
#[derive(Default)]
struct Acknowledged {
    check_ins: BTreeSet<String>,
    journal: BTreeSet<String>,
    disclosures: BTreeSet<String>,
    /// The last signed checkpoint a writer received: the log must extend it.
    checkpoint: Option<String>,
}

/// Writes until the server stops answering, recording each acknowledged write.
async fn write_until_cut(
    base: String,
    person: Person,
    kind: &'static str,
    round: usize,
    acked: Arc<Mutex<Acknowledged>>,
) {
    for n in 0.. {
        let text = format!("round {round} {kind} {n}");
        let (path, body) = match kind {
            "check-in" => ("/api/v1/checkins", check_in(&text)),
            "journal" => ("/api/v1/journal", journal(&text)),
            _ => ("/api/v1/transparency", disclosure(&text)),
        };
        let Ok(r) = person.post(&base, path, body).await else {
            return;
        };
        let status = r.status();
        let Ok(answer) = r.json::<Value>().await else {
            return;
        };
        assert!(
            status.is_success() || status == StatusCode::SERVICE_UNAVAILABLE,
            "{kind} answered {status}: {answer}"
        );
        if !status.is_success() {
            continue;
        }
        let mut a = acked.lock().unwrap();
        match kind {
            "check-in" => a.check_ins.insert(text),
            "journal" => a.journal.insert(text),
            _ => {
                a.checkpoint = Some(answer["note"].as_str().unwrap().to_owned());
                a.disclosures.insert(text)
            }
        };
    }
}

async fn column(pool: &sqlx::SqlitePool, sql: &str) -> BTreeSet<String> {
    sqlx::query_scalar::<_, String>(sql)
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

fn verify_log(dir: &Path, bundle: &[u8], since: &str, key: &str) -> std::process::Output {
    let file = dir.join("bundle.json");
    let seen = dir.join("seen.txt");
    std::fs::write(&file, bundle).unwrap();
    std::fs::write(&seen, since).unwrap();
    Command::new(env!("CARGO_BIN_EXE_kintsugi"))
        .arg("verify-log")
        .arg(&file)
        .arg("--since")
        .arg(&seen)
        .arg("--key")
        .arg(key)
        .output()
        .expect("verify-log runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill_and_the_log_still_verifies() {
    let rounds: usize = std::env::var("KINTSUGI_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let db = format!("sqlite://{}?mode=rw", data.join("kintsugi.db").display());

    let server = Server::start(&data, None).ready().await;
    let (ana, ben) = couple(&server.base).await;
    let r = ben
        .post(
            &server.base,
            "/api/v1/transparency",
            disclosure("round 0 first"),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    let key = first["key"].as_str().unwrap().to_owned();
    drop(server);

    let acked = Arc::new(Mutex::new(Acknowledged {
        checkpoint: Some(first["note"].as_str().unwrap().to_owned()),
        disclosures: ["round 0 first".to_owned()].into(),
        ..Default::default()
    }));
    let mut killed_mid_write = 0;
    for round in 1..=rounds {
        let mut server = Server::start(&data, None).ready().await;
        let writers: Vec<_> = [
            (ana.clone(), "check-in"),
            (ana.clone(), "journal"),
            (ben.clone(), "disclosure"),
            (ben.clone(), "check-in"),
        ]
        .into_iter()
        .map(|(person, kind)| {
            tokio::spawn(write_until_cut(
                server.base.clone(),
                person,
                kind,
                round,
                acked.clone(),
            ))
        })
        .collect();
        let before = acked.lock().unwrap().check_ins.len();
        let pause = 50 + rand_core::OsRng.next_u32() % 450;
        tokio::time::sleep(Duration::from_millis(u64::from(pause))).await;
        server.kill();
        for w in writers {
            w.await.unwrap();
        }
        if acked.lock().unwrap().check_ins.len() > before {
            killed_mid_write += 1;
        }

        // The database as the crash left it, before any server touches it.
        let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(integrity, "ok", "round {round}: the database is intact");
        let check_ins = column(&pool, "SELECT act FROM check_ins").await;
        let journal = column(&pool, "SELECT text FROM journal_entries").await;
        let disclosures = column(&pool, "SELECT text FROM disclosures").await;
        pool.close().await;
        {
            let a = acked.lock().unwrap();
            for (what, saved, stored) in [
                ("check-in", &a.check_ins, &check_ins),
                ("journal entry", &a.journal, &journal),
                ("disclosure", &a.disclosures, &disclosures),
            ] {
                let lost: Vec<_> = saved.difference(stored).collect();
                assert!(
                    lost.is_empty(),
                    "round {round}: acknowledged {what}s lost in the crash: {lost:?}"
                );
            }
        }

        // The log verifies offline and extends what its reader last saw.
        let server = Server::start(&data, None).ready().await;
        let r = ana.get(&server.base, "/api/v1/transparency/bundle").await;
        assert_eq!(r.status(), StatusCode::OK);
        let bundle = r.bytes().await.unwrap();
        let seen = acked.lock().unwrap().checkpoint.clone().unwrap();
        let out = verify_log(tmp.path(), &bundle, &seen, &key);
        assert_eq!(
            out.status.code(),
            Some(0),
            "round {round}: the log verifies after the crash:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        drop(server);
    }
    let a = acked.lock().unwrap();
    eprintln!(
        "{rounds} rounds, {killed_mid_write} with check-ins acknowledged before the kill: \
         {} check-ins, {} journal entries, {} disclosures acknowledged and all kept",
        a.check_ins.len(),
        a.journal.len(),
        a.disclosures.len()
    );
    assert!(
        killed_mid_write >= rounds / 2,
        "most rounds should see writes acknowledged before the kill ({killed_mid_write} of {rounds})"
    );
}

/// Sends the head and the first half of a JSON body, leaving the request in flight.
fn start_slow_request(port: u16, path: &str, token: &str, body: &str) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream
        .write_all(&body.as_bytes()[..body.len() / 2])
        .unwrap();
    stream.flush().unwrap();
    stream
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_requests_in_flight_finish() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut server = Server::start(&data, None).ready().await;
    let (ana, ben) = couple(&server.base).await;

    // A live-update stream is open, as on a conversation page.
    let r = ana
        .post(
            &server.base,
            "/api/v1/conversations",
            json!({"topic": "How we spend Sundays"}),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let conversation: Value = r.json().await.unwrap();
    let mut events = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        events,
        "GET /talk/{}/events HTTP/1.1\r\nHost: x\r\nCookie: kintsugi_session={}\r\n\r\n",
        conversation["id"], ben.token
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut head = [0u8; 64];
    let n = events.read(&mut head).unwrap();
    assert!(
        String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.1 200"),
        "the event stream opens"
    );

    // A journal entry whose body is still arriving when the signal comes.
    let text = "Written slowly, saved all the same.".repeat(40);
    let body = journal(&text).to_string();
    let port = server.port;
    let token = ana.token.clone();
    let in_flight = std::thread::spawn(move || {
        let mut stream = start_slow_request(port, "/api/v1/journal", &token, &body);
        std::thread::sleep(Duration::from_millis(1500));
        stream
            .write_all(&body.as_bytes()[body.len() / 2..])
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "no new connections once shutting down"
    );
    let answer = in_flight.join().unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "the request in flight finished: {answer}"
    );

    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the server did not exit after SIGTERM (an open event stream holds it?)"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "a clean exit: {status}");

    let server = Server::start(&data, None).ready().await;
    let (_, entries) = (
        (),
        ana.get(&server.base, "/api/v1/journal")
            .await
            .json::<Value>()
            .await
            .unwrap(),
    );
    assert!(
        entries
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["text"].as_str() == Some(text.as_str())),
        "the entry finished during shutdown was saved: {entries}"
    );
}

/// Checks a refused write: a 503 with the calm words, as JSON or as a page.
async fn assert_calm_503(r: reqwest::Response, what: &str) {
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{what}");
    let text = r.text().await.unwrap();
    assert!(
        text.contains("cannot reach its database") && text.contains("nothing was saved"),
        "{what}: a calm message: {text}"
    );
}

/// A tmpfs mounted for one test and unmounted after it.
struct TinyDisk(PathBuf);

impl TinyDisk {
    /// `None` when this process may not mount (not root): the caller says so.
    fn mount(at: PathBuf, size: &str) -> Option<Self> {
        std::fs::create_dir_all(&at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Self(at))
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the disk with one file, until the file system refuses more.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    let _ = f.sync_all();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_gets_a_calm_answer_and_the_server_recovers() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(disk) = TinyDisk::mount(tmp.path().join("disk"), "8m") else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI runs as root and must run this test"
        );
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    };
    let data = disk.0.join("data");
    let server = Server::start(&data, None).ready().await;
    let (ana, _ben) = couple(&server.base).await;
    let r = ana
        .post(
            &server.base,
            "/api/v1/checkins",
            check_in("before the disk filled"),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    // A full disk: writes are refused calmly once SQLite cannot grow its files.
    let filler = fill(&disk.0);
    // Just under the journal's 10,000 characters, so each entry needs room.
    let long = "Words that need room on the disk. ".repeat(280);
    let mut refused = None;
    let mut saved_while_full = Vec::new();
    for n in 0..400 {
        let text = format!("entry {n} {long}");
        let r = ana
            .post(&server.base, "/api/v1/journal", journal(&text))
            .await
            .unwrap();
        if r.status() == StatusCode::CREATED {
            saved_while_full.push(text);
        } else {
            refused = Some(r);
            break;
        }
    }
    let refused = refused.expect("a full disk refuses a write within 400 entries");
    assert_calm_503(refused, "a write on a full disk (API)").await;
    let browser = client();
    let r = browser
        .get(format!("{}/checkin", server.base))
        .header("cookie", format!("kintsugi_session={}", ana.token))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "reading still works on a full disk"
    );

    // Room again: the same server takes writes without a restart.
    std::fs::remove_file(&filler).unwrap();
    let r = ana
        .post(
            &server.base,
            "/api/v1/checkins",
            check_in("after room was made"),
        )
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "writes resume when there is room"
    );

    let entries: Value = ana
        .get(&server.base, "/api/v1/journal")
        .await
        .json()
        .await
        .unwrap();
    let kept: BTreeSet<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["text"].as_str())
        .collect();
    for text in &saved_while_full {
        assert!(
            kept.contains(text.as_str()),
            "an acknowledged entry was lost"
        );
    }
    drop(server);
}

/// A TCP proxy to PostgreSQL that the test can cut and restore, as a
/// network failure or a database restart would.
struct Proxy {
    port: u16,
    open: Arc<std::sync::atomic::AtomicBool>,
    generation: Arc<std::sync::atomic::AtomicU64>,
}

impl Proxy {
    async fn start(upstream: String) -> Self {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let open = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let generation = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (o, g) = (open.clone(), generation.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    return;
                };
                if !o.load(Ordering::SeqCst) {
                    // Down: the connection is dropped at once, like a database that is not there.
                    drop(inbound);
                    continue;
                }
                let born = g.load(Ordering::SeqCst);
                let g = g.clone();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let cut = async {
                        while g.load(Ordering::SeqCst) == born {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cut => {}
                    }
                });
            }
        });
        Self {
            port,
            open,
            generation,
        }
    }

    fn cut(&self) {
        use std::sync::atomic::Ordering;
        self.open.store(false, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn restore(&self) {
        self.open.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_out_of_reach_gets_a_calm_answer_and_the_server_recovers() {
    let Ok(base_url) = std::env::var("KINTSUGI_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "KINTSUGI_TEST_POSTGRES_URL must be set under CI"
        );
        eprintln!("skipped: set KINTSUGI_TEST_POSTGRES_URL to run this test on PostgreSQL");
        return;
    };
    let url = url::Url::parse(&base_url).unwrap();
    let upstream = format!(
        "{}:{}",
        url.host_str().unwrap_or("127.0.0.1"),
        url.port().unwrap_or(5432)
    );
    let name = format!("kintsugi_faults_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&base_url).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .unwrap();

    let proxy = Proxy::start(upstream).await;
    let mut through = url.clone();
    through.set_host(Some("127.0.0.1")).unwrap();
    through.set_port(Some(proxy.port)).unwrap();
    through.set_path(&format!("/{name}"));
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(&tmp.path().join("data"), Some(through.as_str()))
        .ready()
        .await;
    let (ana, _ben) = couple(&server.base).await;
    let r = ana
        .post(
            &server.base,
            "/api/v1/checkins",
            check_in("before the outage"),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    proxy.cut();
    // The proxy's open connections notice the cut within 20 ms; give them
    // time, so the write below cannot slip through one still open.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let r = ana
        .post(
            &server.base,
            "/api/v1/checkins",
            check_in("during the outage"),
        )
        .await
        .unwrap();
    assert_calm_503(r, "an API write while PostgreSQL is out of reach").await;
    let page = client()
        .get(format!("{}/checkin", server.base))
        .header("cookie", format!("kintsugi_session={}", ana.token))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("cannot reach its database") && html.contains("quick-exit"),
        "a calm page, still with the quick exit: {html}"
    );
    let (status, health) = {
        let r = client()
            .get(format!("{}/health", server.base))
            .send()
            .await
            .unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(health["database"], "unavailable");
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "the answers came without a long wait: {:?}",
        started.elapsed()
    );

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = ana
            .post(
                &server.base,
                "/api/v1/checkins",
                check_in("after the outage"),
            )
            .await
            .unwrap();
        if r.status() == StatusCode::CREATED {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not recover once PostgreSQL was back: {}",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let list: Value = ana
        .get(&server.base, "/api/v1/checkins")
        .await
        .json()
        .await
        .unwrap();
    let acts: BTreeSet<&str> = list["mine"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["act"].as_str())
        .collect();
    assert!(
        acts.contains("after the outage"),
        "the newest check-in is the one after the outage: {list}"
    );
    drop(server);
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
}
