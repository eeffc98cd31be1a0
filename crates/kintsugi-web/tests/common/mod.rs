//! The test harness: the real server on an ephemeral port, with a fresh
//! database for every test — an SQLite file in a temporary directory, or a
//! new PostgreSQL database when `KINTSUGI_TEST_POSTGRES_URL` is set — and
//! clients that speak HTTP to it like a browser or an API client would.

#![allow(dead_code)]

use std::net::SocketAddr;

use kintsugi_web::{AppState, Config};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs a scenario once on SQLite and once on PostgreSQL. Under CI a missing
/// PostgreSQL URL fails the test, so a green run means both engines ran.
#[macro_export]
macro_rules! on_both_engines {
    (with $adjust:ident; $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::common::TestApp::spawn_with(super::$adjust).await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::common::TestApp::spawn_postgres_with(super::$adjust).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::common::TestApp::spawn($crate::common::Engine::Sqlite).await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::common::TestApp::spawn_postgres().await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub config: Config,
    pub engine: Engine,
    pub dir: tempfile::TempDir,
    server: Server,
    postgres: Option<PgDatabase>,
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> Self {
        assert_eq!(engine, Engine::Sqlite, "use spawn_postgres for PostgreSQL");
        let dir = tempfile::tempdir().expect("temporary directory");
        Self::start_with(dir, None, |_| {}).await
    }

    /// A fresh SQLite app whose configuration the test adjusts first.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        Self::start_with(dir, None, adjust).await
    }

    /// A fresh PostgreSQL database for this test, or `None` (with a note)
    /// when no server is configured outside CI.
    pub async fn spawn_postgres() -> Option<Self> {
        Self::spawn_postgres_with(|_| {}).await
    }

    /// A fresh PostgreSQL app whose configuration the test adjusts first.
    pub async fn spawn_postgres_with(adjust: impl FnOnce(&mut Config)) -> Option<Self> {
        let Ok(base) = std::env::var("KINTSUGI_TEST_POSTGRES_URL") else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("KINTSUGI_TEST_POSTGRES_URL must be set under CI: the PostgreSQL suite has to run");
            }
            eprintln!("skipped: set KINTSUGI_TEST_POSTGRES_URL to run this test on PostgreSQL");
            return None;
        };
        let name = format!("kintsugi_test_{}", uuid_like());
        let admin = sqlx::PgPool::connect(&base)
            .await
            .expect("connect to the PostgreSQL test server");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create a test database");
        admin.close().await;
        let url = with_database(&base, &name);
        let dir = tempfile::tempdir().expect("temporary directory");
        Some(
            Self::start_with(dir, Some(PgDatabase { base, name }), move |c| {
                c.database_url = url;
                adjust(c);
            })
            .await,
        )
    }

    async fn start_with(
        dir: tempfile::TempDir,
        postgres: Option<PgDatabase>,
        adjust: impl FnOnce(&mut Config),
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind an ephemeral port");
        let addr = listener.local_addr().unwrap();
        let mut config = Config::new(dir.path().to_path_buf(), addr);
        adjust(&mut config);
        let state = AppState::open(config.clone()).await.expect("open the app");
        let app = kintsugi_web::app(state.clone());
        let server = Server(tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        }));
        let engine = if postgres.is_some() {
            Engine::Postgres
        } else {
            Engine::Sqlite
        };
        Self {
            base: format!("http://{addr}"),
            state,
            config,
            engine,
            dir,
            server,
            postgres,
        }
    }

    /// Stops this server and starts a new one on the same database, as after a restart.
    pub async fn restart(self) -> Self {
        let TestApp {
            state,
            config,
            dir,
            server,
            postgres,
            ..
        } = self;
        drop(server);
        state.store.close().await;
        Self::start_with(dir, postgres, move |c| c.database_url = config.database_url).await
    }

    /// Runs one SQL statement on the app's database behind its back, as an
    /// operator or a failing disk might.
    pub async fn execute(&self, sql: &str) {
        match self.engine {
            Engine::Sqlite => {
                let db = format!("sqlite://{}/kintsugi.db", self.dir.path().display());
                let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
                sqlx::query(sql).execute(&pool).await.unwrap();
                pool.close().await;
            }
            Engine::Postgres => {
                let pool = sqlx::PgPool::connect(&self.config.database_url)
                    .await
                    .unwrap();
                sqlx::query(sql).execute(&pool).await.unwrap();
                pool.close().await;
            }
        }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    pub fn api(&self) -> Api {
        Api {
            http: plain_client(),
            base: self.base.clone(),
            token: None,
        }
    }

    /// A person who has signed up, passed the safety check and created a couple.
    pub async fn founder(&self, name: &str, role: &str) -> Browser {
        let b = self.browser();
        b.signup(name).await;
        b.pass_safety().await;
        b.create_couple(role).await;
        b
    }

    /// Two linked partners, both past the safety check.
    pub async fn couple(&self, a: &str, b: &str) -> (Browser, Browser) {
        let first = self.founder(a, "hurt").await;
        let link = first.invite().await;
        let second = self.browser();
        second.signup(b).await;
        second.pass_safety().await;
        second.join(&link).await;
        (first, second)
    }
}

/// Aborts the server task when the test is done with it.
struct Server(tokio::task::JoinHandle<()>);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A PostgreSQL database made for one test, dropped after it.
pub struct PgDatabase {
    base: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (base, name) = (self.base.clone(), self.name.clone());
        // Best effort, on a thread of its own: the test's runtime is ending.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                if let Ok(admin) = sqlx::PgPool::connect(&base).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&admin)
                        .await;
                }
            });
        })
        .join();
    }
}

fn with_database(base: &str, name: &str) -> String {
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (base, String::new()),
    };
    let scheme_end = head.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = head[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(head.len());
    format!("{}/{}{}", &head[..host_end], name, query)
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn plain_client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A browser: cookies kept, redirects not followed (so tests see them),
/// and the CSRF token read from the last page like a form would carry it.
pub struct Browser {
    pub http: Client,
    pub base: String,
    csrf: std::sync::Mutex<Option<String>>,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        let http = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            http,
            base: base.to_owned(),
            csrf: Default::default(),
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .unwrap()
    }

    /// GETs a page and returns its status and HTML, remembering its CSRF token.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        let status = r.status();
        let html = r.text().await.unwrap();
        if let Some(token) = extract_csrf(&html) {
            *self.csrf.lock().unwrap() = Some(token);
        }
        (status, html)
    }

    pub async fn token(&self) -> String {
        if let Some(t) = self.csrf.lock().unwrap().clone() {
            return t;
        }
        let (_, html) = self.page("/login").await;
        extract_csrf(&html).expect("pages carry a CSRF token")
    }

    /// Posts a form with the CSRF token a real page would have put in it.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.post_raw(path, &all).await
    }

    /// Posts a form the way `coach.js` does, asking for the result fragment.
    pub async fn browser_post_fragment(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.http
            .post(format!("{}{}", self.base, path))
            .header("x-kintsugi-fragment", "1")
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    /// Posts exactly these fields, with no token added.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}{}", self.base, path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    pub async fn signup(&self, name: &str) {
        let r = self
            .post(
                "/signup",
                &[("username", name), ("password", "a calm long phrase")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign-up of {name}");
    }

    pub async fn login(&self, name: &str, password: &str) -> Response {
        self.post("/login", &[("username", name), ("password", password)])
            .await
    }

    pub async fn answer_safety(&self, answers: &[(&str, &str)]) -> Response {
        self.post("/safety", answers).await
    }

    pub async fn pass_safety(&self) {
        let r = self.answer_safety(&safe_answers()).await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "a clear safety check moves on"
        );
    }

    pub async fn create_couple(&self, role: &str) {
        let r = self.post("/couple", &[("role", role)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "create couple");
    }

    /// Makes an invitation and returns its path, `/join/…`.
    pub async fn invite(&self) -> String {
        let r = self.post("/couple/invitations", &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.unwrap();
        let start = html
            .find("/join/")
            .expect("the page shows the invitation link");
        let token: String = html[start + 6..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        format!("/join/{token}")
    }

    pub async fn join(&self, link: &str) {
        let (status, _) = self.page(link).await;
        assert_eq!(status, StatusCode::OK, "the invitation page opens");
        let r = self.post(link, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "joining succeeds");
    }

    pub async fn check_in(&self, fields: &[(&str, &str)]) -> Response {
        let mut all = vec![
            ("trust", "5"),
            ("safety", "6"),
            ("connection", "7"),
            ("act_kind", "kindness"),
            ("act", "Made tea"),
            ("visibility", "private"),
        ];
        for (k, v) in fields {
            all.retain(|(name, _)| name != k);
            all.push((k, v));
        }
        self.post("/checkin", &all).await
    }

    /// Logs in over the API and returns a client holding the bearer token.
    pub async fn api_as(&self, name: &str) -> Api {
        let mut api = Api {
            http: plain_client(),
            base: self.base.clone(),
            token: None,
        };
        let r = api
            .post(
                "/api/v1/login",
                json!({ "username": name, "password": "a calm long phrase" }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.unwrap();
        api.token = Some(body["token"].as_str().unwrap().to_owned());
        api
    }
}

pub fn safe_answers() -> Vec<(&'static str, &'static str)> {
    kintsugi_core::safety::QUESTIONS
        .iter()
        .map(|q| (q.id, q.safe_answer.as_str()))
        .collect()
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    Some(html[start..].split('"').next()?.to_owned())
}

/// An API client, with or without a bearer token.
pub struct Api {
    pub http: Client,
    pub base: String,
    pub token: Option<String>,
}

impl Api {
    fn with_auth(&self, r: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.with_auth(self.http.get(format!("{}{}", self.base, path)))
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.with_auth(self.http.post(format!("{}{}", self.base, path)))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn json(&self, path: &str) -> (StatusCode, Value) {
        let r = self.get(path).await;
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}
