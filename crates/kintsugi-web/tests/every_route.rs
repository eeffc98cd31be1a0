//! Protections that must hold on every route, checked on the list the router
//! itself gives (`kintsugi_web::endpoints()`), so a route added tomorrow is
//! covered without anyone remembering to add it here:
//!
//! - every state-changing route (POST, PUT, DELETE…) refuses a browser
//!   request that rides on the session cookie without a genuine CSRF token:
//!   none, a forged one, or another browser's;
//! - every response, errors included, carries the security headers.
//!
//! Beside them, the log-in's own defences: rate limits per account, per
//! address and for sign-ups (forms and API alike), no session fixation,
//! cookie flags, and no timing difference between an unknown username and
//! a wrong password. What `robustness.rs` already proves (a forged check-in
//! saves nothing, the per-account log-in limit) is not repeated.

mod common;

use std::time::{Duration, Instant};

use common::{Browser, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// A concrete path for a route: each `{param}` filled with a value of the
/// right shape that names nothing that exists.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("a closed parameter") + start;
        out.push_str(match &rest[start + 1..end] {
            "day" => "2020-01-01",
            "token" => "not-a-real-invitation-token",
            "kind" => "apology",
            "prompt" => "what-happened",
            _ => "987654",
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a refusal is the CSRF refusal, as a page or as JSON.
async fn is_csrf_refusal(r: reqwest::Response) -> Result<(), String> {
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    if status == StatusCode::FORBIDDEN
        && (body.contains("did not come from Kintsugi") || body.contains("\"csrf\""))
    {
        Ok(())
    } else {
        Err(format!(
            "{status}: {}",
            body.chars().take(120).collect::<String>()
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_changing_route_refuses_a_request_without_a_genuine_csrf_token() {
    let app = TestApp::spawn(common::Engine::Sqlite).await;
    let (ana, _ben) = app.couple("ana", "ben").await;
    let stranger_token = app.browser().token().await;
    let routes: Vec<_> = kintsugi_web::endpoints()
        .into_iter()
        .filter(|e| changes_state(&e.method))
        .collect();
    assert!(
        routes.len() > 20,
        "the router lists its state-changing routes"
    );

    let mut unprotected = Vec::new();
    for e in &routes {
        let url = format!("{}{}", app.base, concrete(&e.path));
        let attempts: Vec<(&str, reqwest::RequestBuilder)> = vec![
            (
                "a form without a token",
                ana.http
                    .request(e.method.clone(), &url)
                    .form(&[("text", "forged")]),
            ),
            (
                "a form with a made-up token",
                ana.http
                    .request(e.method.clone(), &url)
                    .form(&[("text", "forged"), ("csrf", "made-up")]),
            ),
            (
                "a form with another browser's token",
                ana.http
                    .request(e.method.clone(), &url)
                    .form(&[("text", "forged"), ("csrf", stranger_token.as_str())]),
            ),
            (
                "JSON on the session cookie without a token",
                ana.http
                    .request(e.method.clone(), &url)
                    .json(&json!({"text": "forged"})),
            ),
            (
                "JSON on the session cookie with a forged header",
                ana.http
                    .request(e.method.clone(), &url)
                    .header("x-csrf-token", "made-up")
                    .json(&json!({"text": "forged"})),
            ),
            (
                "a plain-text body",
                ana.http
                    .request(e.method.clone(), &url)
                    .header("content-type", "text/plain")
                    .body("csrf=made-up&text=forged"),
            ),
        ];
        for (what, request) in attempts {
            let r = request.send().await.unwrap();
            if let Err(got) = is_csrf_refusal(r).await {
                unprotected.push(format!("{e} accepted {what} (answered {got})"));
            }
        }
    }
    assert!(
        unprotected.is_empty(),
        "these routes do not refuse forged requests; every state-changing route must \
         check the CSRF token (see security/csrf.rs):\n  {}",
        unprotected.join("\n  ")
    );

    // Logging in is a state change too: a cross-site form cannot log a
    // browser into someone else's account.
    let visitor = app.browser();
    let r = visitor
        .post_raw(
            "/login",
            &[("username", "ana"), ("password", "a calm long phrase")],
        )
        .await;
    assert!(is_csrf_refusal(r).await.is_ok(), "log-in CSRF is refused");
}

const HEADERS: &[(&str, &str)] = &[
    ("content-security-policy", "default-src 'none'"),
    ("content-security-policy", "frame-ancestors 'none'"),
    ("content-security-policy", "script-src 'self'"),
    ("content-security-policy", "form-action 'self'"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("permissions-policy", "geolocation=()"),
];

fn missing_headers(path: &str, r: &reqwest::Response) -> Vec<String> {
    let mut missing = Vec::new();
    for (name, needle) in HEADERS {
        let value = r
            .headers()
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !value.contains(needle) {
            missing.push(format!("{name} ({needle})"));
        }
    }
    let cache = r
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !path.starts_with("/assets/") && cache != "no-store" {
        missing.push("cache-control (no-store)".into());
    }
    missing
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn(common::Engine::Sqlite).await;
    let (ana, _ben) = app.couple("ana", "ben").await;
    // Someone outside any couple, for the state-changing routes, so that
    // what they set off (a log-out, an invitation) leaves Ana's space alone.
    let cat = app.browser();
    cat.signup("cat").await;
    let visitor = app.browser();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let mut failures = Vec::new();
    let mut seen_statuses = std::collections::BTreeSet::new();
    for e in kintsugi_web::endpoints() {
        let path = concrete(&e.path);
        let url = format!("{}{}", app.base, path);
        let mut responses = Vec::new();
        if changes_state(&e.method) {
            let token = cat.token().await;
            responses.push((
                "with a token",
                cat.http
                    .request(e.method.clone(), &url)
                    .form(&[("csrf", token.as_str())])
                    .send()
                    .await,
            ));
            responses.push((
                "without a token",
                visitor.http.request(e.method.clone(), &url).send().await,
            ));
        } else {
            for (who, b) in [("Ana", &ana), ("a visitor", &visitor)] {
                responses.push((who, b.http.request(e.method.clone(), &url).send().await));
            }
            responses.push(("an API client", http.get(&url).send().await));
        }
        for (who, r) in responses {
            let r = r.unwrap_or_else(|err| panic!("{e} as {who}: {err}"));
            seen_statuses.insert(r.status().as_u16());
            let missing = missing_headers(&path, &r);
            if !missing.is_empty() {
                failures.push(format!(
                    "{e} as {who} ({}) lacks {}",
                    r.status(),
                    missing.join(", ")
                ));
            }
        }
    }
    // Errors from the framework itself (an unknown path, a wrong method).
    for (method, path) in [(Method::GET, "/no-such-page"), (Method::PATCH, "/checkin")] {
        let r = http
            .request(method.clone(), format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        seen_statuses.insert(r.status().as_u16());
        let missing = missing_headers(path, &r);
        if !missing.is_empty() {
            failures.push(format!(
                "{method} {path} ({}) lacks {}",
                r.status(),
                missing.join(", ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "responses without their security headers (security/headers.rs sets them):\n  {}",
        failures.join("\n  ")
    );
    for status in [200, 303, 401, 403, 404] {
        assert!(
            seen_statuses.contains(&status),
            "the sweep reached a {status} answer too: {seen_statuses:?}"
        );
    }
}

fn tight_limits(c: &mut kintsugi_web::Config) {
    c.limits.login_per_address = 4;
    c.limits.signup_per_address = 3;
}

on_both_engines!(with tight_limits;
    signing_up_and_logging_in_are_rate_limited_per_address,
);

async fn signing_up_and_logging_in_are_rate_limited_per_address(app: TestApp) {
    // Sign-ups: three from one address, then a pause, forms and API alike.
    for name in ["ana", "ben"] {
        app.browser().signup(name).await;
    }
    let r = app
        .api()
        .post(
            "/api/v1/signup",
            json!({"username": "cat", "password": "a calm long phrase"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = app
        .browser()
        .post(
            "/signup",
            &[("username", "dan"), ("password", "a calm long phrase")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "a fourth sign-up waits"
    );
    assert!(r.text().await.unwrap().contains("wait a minute"));
    let r = app
        .api()
        .post(
            "/api/v1/signup",
            json!({"username": "eve", "password": "a calm long phrase"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"],
        "rate_limited"
    );

    // Log-ins: one address guessing at many accounts is slowed down, even
    // when it then tries a right password, and the API counts too.
    let guesser = app.browser();
    for name in ["nobody-1", "nobody-2", "nobody-3"] {
        assert_eq!(
            guesser.login(name, "guess").await.status(),
            StatusCode::FORBIDDEN
        );
    }
    let r = app
        .api()
        .post(
            "/api/v1/login",
            json!({"username": "nobody-4", "password": "guess"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = guesser.login("ana", "a calm long phrase").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let r = app
        .api()
        .post(
            "/api/v1/login",
            json!({"username": "ben", "password": "a calm long phrase"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("kintsugi_session=") && !v.starts_with("kintsugi_session=;"))
        .map(str::to_owned)
}

fn cookie_value(set_cookie: &str) -> &str {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v)
        .unwrap_or("")
}

/// A browser without a cookie store, so the test decides what it presents.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

on_both_engines!(a_session_from_before_logging_in_is_not_valid_after_it);

async fn a_session_from_before_logging_in_is_not_valid_after_it(app: TestApp) {
    app.founder("ana", "hurt").await;
    let http = bare_client();
    let page = http
        .get(format!("{}/login", app.base))
        .send()
        .await
        .unwrap();
    let csrf_cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("kintsugi_csrf="))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .unwrap();
    let token = common::extract_csrf(&page.text().await.unwrap()).unwrap();
    let log_in = |presented: Option<String>| {
        let mut cookies = csrf_cookie.clone();
        if let Some(s) = presented {
            cookies.push_str(&format!("; kintsugi_session={s}"));
        }
        http.post(format!("{}/login", app.base))
            .header("cookie", cookies)
            .form(&[
                ("username", "ana"),
                ("password", "a calm long phrase"),
                ("csrf", token.as_str()),
            ])
            .send()
    };
    let works = |session: String| {
        let http = http.clone();
        let base = app.base.clone();
        async move {
            let r = http
                .get(format!("{base}/checkin"))
                .header("cookie", format!("kintsugi_session={session}"))
                .send()
                .await
                .unwrap();
            r.status() == StatusCode::OK
        }
    };

    // An attacker plants a session id of their choosing before the log-in.
    let planted = "attacker-chosen-session-id-0123456789abcdefghij".to_owned();
    let r = log_in(Some(planted.clone())).await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let first = cookie_value(&session_cookie(&r).expect("a session cookie")).to_owned();
    assert_ne!(first, planted, "the server picks the session id");
    assert!(!works(planted).await, "the planted id logs nobody in");
    assert!(works(first.clone()).await);

    // Logging in again from the same browser ends the session it held.
    let r = log_in(Some(first.clone())).await.unwrap();
    let second = cookie_value(&session_cookie(&r).unwrap()).to_owned();
    assert_ne!(second, first);
    assert!(
        !works(first).await,
        "the earlier session ended at the new log-in"
    );
    assert!(works(second).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_http_only_same_site_and_secure_over_https() {
    for (public_url, secure) in [(None, false), (Some("https://kintsugi.example"), true)] {
        let app = TestApp::spawn_with(|c| {
            if let Some(url) = public_url {
                c.public_url = url.to_owned();
            }
        })
        .await;
        let b = Browser::new(&app.base);
        let token = b.token().await;
        let r = bare_client()
            .get(format!("{}/login", app.base))
            .send()
            .await
            .unwrap();
        let csrf = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("kintsugi_csrf="))
            .expect("a CSRF cookie")
            .to_owned();
        let r = b
            .post_raw(
                "/signup",
                &[
                    ("username", "ana"),
                    ("password", "a calm long phrase"),
                    ("csrf", token.as_str()),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let session = session_cookie(&r).expect("a session cookie");
        for cookie in [&csrf, &session] {
            let attributes: Vec<String> = cookie
                .split(';')
                .skip(1)
                .map(|a| a.trim().to_ascii_lowercase())
                .collect();
            let has = |a: &str| attributes.iter().any(|x| x == a);
            assert!(has("httponly"), "HttpOnly: {cookie}");
            assert!(has("samesite=lax"), "SameSite=Lax: {cookie}");
            assert!(has("path=/"), "Path=/: {cookie}");
            assert_eq!(has("secure"), secure, "Secure only over https: {cookie}");
        }
        // The API never sets cookies: a token is all it hands out.
        let r = app
            .api()
            .post(
                "/api/v1/login",
                json!({"username": "ana", "password": "a calm long phrase"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            session_cookie(&r).is_none(),
            "no session cookie from the API"
        );
    }
}

/// Median time of `n` log-ins with these credentials.
async fn median_login(app: &TestApp, username: &str, n: usize) -> Duration {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let r = app
            .api()
            .post(
                "/api/v1/login",
                json!({"username": username, "password": "not the password"}),
            )
            .await;
        times.push(started.elapsed());
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    times.sort();
    times[n / 2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_username_takes_as_long_as_a_wrong_password() {
    let app = TestApp::spawn_with(|c| {
        c.limits.login_per_account = 1000;
        c.limits.login_per_address = 1000;
    })
    .await;
    app.browser().signup("ana").await;
    // Warm up both paths (the decoy hash is made on first use).
    median_login(&app, "nobody-here", 2).await;
    median_login(&app, "ana", 2).await;
    let mut unknown = Vec::new();
    let mut wrong = Vec::new();
    // Interleaved, so a busy machine slows both alike.
    for _ in 0..3 {
        unknown.push(median_login(&app, "nobody-here", 5).await);
        wrong.push(median_login(&app, "ana", 5).await);
    }
    unknown.sort();
    wrong.sort();
    let (u, w) = (unknown[1].as_secs_f64(), wrong[1].as_secs_f64());
    let ratio = u / w;
    eprintln!(
        "median log-in: unknown username {u:.4} s, wrong password {w:.4} s, ratio {ratio:.2}"
    );
    // Both run one Argon2id verification; without the decoy an unknown name
    // would answer in well under a tenth of the time. The margin is
    // generous because other work shares the machine.
    assert!(
        (0.6..1.67).contains(&ratio),
        "an unknown username must cost a full password check: {u:.4} s vs {w:.4} s"
    );
}
