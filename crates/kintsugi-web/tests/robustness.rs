//! Bad input and bad days: malformed and oversized forms, odd Unicode,
//! forged requests, replayed and expired invitations, a database that goes
//! away. Each gets a clear message, and nothing acknowledged is lost.

mod common;

use std::collections::BTreeSet;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    a_check_in_with_bad_fields_is_explained_and_keeps_what_was_typed,
    oversized_and_malformed_bodies_get_clear_errors,
    odd_unicode_is_kept_exactly_or_refused_clearly,
    forms_without_a_genuine_csrf_token_save_nothing,
    replayed_and_expired_invitations_are_refused,
    a_username_is_taken_once_whatever_its_case,
    when_the_database_goes_away_nothing_acknowledged_is_lost,
);

async fn a_check_in_with_bad_fields_is_explained_and_keeps_what_was_typed(app: TestApp) {
    let (ana, _ben) = app.couple("ana", "ben").await;
    let r = ana
        .check_in(&[
            ("trust", "11"),
            ("safety", "-1"),
            ("connection", "seven"),
            ("act", ""),
            ("note", "Words I do not want to lose"),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("from 0 to 10"),
        "ratings out of range are explained"
    );
    assert!(
        page.contains("Words I do not want to lose"),
        "what was typed comes back in the form"
    );
    let (_, page) = ana.page("/").await;
    assert!(!page.contains("checked in on 1 day"), "nothing was saved");

    let api = ana.api_as("ana").await;
    let r = api
        .post(
            "/api/v1/checkins",
            json!({"trust": 42, "safety": 5, "connection": 5, "act_kind": "gossip", "act": "x", "visibility": "secret"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    let fields: BTreeSet<&str> = body["fields"]
        .as_array()
        .expect("each problem names its field")
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for field in ["trust", "act_kind", "visibility"] {
        assert!(fields.contains(field), "{field} is reported: {body}");
    }

    let long = "x".repeat(20_000);
    let r = ana.check_in(&[("note", &long)]).await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an overlong note is refused"
    );
    assert!(r.text().await.unwrap().contains("please keep it to"));
}

async fn oversized_and_malformed_bodies_get_clear_errors(app: TestApp) {
    let (ana, _ben) = app.couple("ana", "ben").await;
    let token = ana.token().await;

    let huge = "y".repeat(200 * 1024);
    let r = ana
        .post_raw("/checkin", &[("csrf", &token), ("note", &huge)])
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("more text than Kintsugi accepts"));

    // Bytes that are not UTF-8 at all.
    let r = ana
        .http
        .post(format!("{}/checkin", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={token}&act=%FF%FE&trust=5").into_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("UTF-8"));

    let api = ana.api_as("ana").await;
    let r = api
        .http
        .post(format!("{}/api/v1/checkins", app.base))
        .bearer_auth(api.token.as_deref().unwrap())
        .header("content-type", "application/json")
        .body("{\"trust\": 5,")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.expect("errors under /api are JSON");
    assert_eq!(body["error"], "bad_request");

    let r = api
        .http
        .post(format!("{}/api/v1/checkins", app.base))
        .bearer_auth(api.token.as_deref().unwrap())
        .header("content-type", "application/json")
        .body(format!("{{\"note\": \"{}\"}}", "z".repeat(200 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("nothing was saved"));

    let (status, page) = ana.page("/checkin/history/not-a-day").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        page.contains("quick-exit"),
        "errors are full pages, with the quick exit"
    );
}

async fn odd_unicode_is_kept_exactly_or_refused_clearly(app: TestApp) {
    let (ana, _ben) = app.couple("ana", "ben").await;
    // Combining marks, an emoji sequence joined with ZWJ, right-to-left
    // script, and a character outside the Basic Multilingual Plane.
    let note = "Cafe\u{301} \u{1F469}\u{200D}\u{2764}\u{FE0F}\u{200D}\u{1F468} \u{05E9}\u{05DC}\u{05D5}\u{05DD} \u{1D11E}";
    let r = ana
        .check_in(&[("note", note), ("act", "Wrote \u{201C}thank you\u{201D}")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let api = ana.api_as("ana").await;
    let (_, list) = api.json("/api/v1/checkins").await;
    assert_eq!(
        list["mine"][0]["note"], note,
        "stored and returned byte for byte"
    );

    // Control characters hide text from the reader: refused, with a reason.
    let r = ana.check_in(&[("act", "bell\u{7}ring")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .browser()
        .post(
            "/signup",
            &[
                ("username", "ana\u{202E}"),
                ("password", "a calm long phrase"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a username cannot hide its direction"
    );
}

async fn forms_without_a_genuine_csrf_token_save_nothing(app: TestApp) {
    let (ana, _ben) = app.couple("ana", "ben").await;
    let fields = [
        ("trust", "5"),
        ("safety", "5"),
        ("connection", "5"),
        ("act_kind", "effort"),
        ("act", "forged"),
        ("visibility", "private"),
    ];
    let r = ana.post_raw("/checkin", &fields).await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a missing token is refused"
    );
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("did not come from Kintsugi"));

    let mut forged = fields.to_vec();
    forged.push(("csrf", "made-up-token"));
    assert_eq!(
        ana.post_raw("/checkin", &forged).await.status(),
        StatusCode::FORBIDDEN
    );

    // Another visitor's genuine token does not fit Ana's cookie.
    let other = app.browser();
    let theirs = other.token().await;
    let mut borrowed = fields.to_vec();
    borrowed.push(("csrf", &theirs));
    assert_eq!(
        ana.post_raw("/checkin", &borrowed).await.status(),
        StatusCode::FORBIDDEN
    );

    // A cross-site JSON post riding on the cookie, without a bearer token, is refused too.
    let r = ana
        .http
        .post(format!("{}/api/v1/checkins", app.base))
        .json(&json!({"trust": 5, "safety": 5, "connection": 5, "act_kind": "effort", "act": "forged", "visibility": "private"}))
        .send()
        .await
        .unwrap();
    assert!(
        r.status() == StatusCode::UNAUTHORIZED || r.status() == StatusCode::FORBIDDEN,
        "the API does not act on cookies alone: {}",
        r.status()
    );

    let api = ana.api_as("ana").await;
    let (_, list) = api.json("/api/v1/checkins").await;
    assert_eq!(
        list["mine"].as_array().unwrap().len(),
        0,
        "nothing forged was saved"
    );
}

async fn replayed_and_expired_invitations_are_refused(app: TestApp) {
    let ana = app.founder("ana", "hurt").await;
    let link = ana.invite().await;
    app.execute("UPDATE invitations SET expires_at = 0").await;
    let ben = app.browser();
    ben.signup("ben").await;
    ben.pass_safety().await;
    let (_, page) = ben.page(&link).await;
    assert!(page.contains("expired"), "an expired link says so");
    let r = ben.post(&link, &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // A fresh link works once; replaying it over the API is refused.
    let link = ana.invite().await;
    ben.join(&link).await;
    let cat = app.browser();
    cat.signup("cat").await;
    cat.pass_safety().await;
    let api = cat.api_as("cat").await;
    let token = link.trim_start_matches("/join/");
    let r = api
        .post(&format!("/api/v1/invitations/{token}/accept"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("used"));
}

async fn a_username_is_taken_once_whatever_its_case(app: TestApp) {
    app.browser().signup("ana").await;
    let r = app
        .browser()
        .post(
            "/signup",
            &[("username", "ANA"), ("password", "a calm long phrase")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("taken"));
    let r = app
        .api()
        .post(
            "/api/v1/signup",
            json!({"username": "Ana", "password": "a calm long phrase"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn when_the_database_goes_away_nothing_acknowledged_is_lost(app: TestApp) {
    let (ana, _ben) = app.couple("ana", "ben").await;
    let r = ana.check_in(&[("act", "Kept my word")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "acknowledged");

    app.state.store.close().await;
    let r = ana.check_in(&[("act", "Lost in the outage")]).await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("cannot reach its database"),
        "the page says what happened"
    );
    assert!(page.contains("nothing was saved"));
    let (status, health) = app.api().json("/health").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(health["database"], "unavailable");
    let r = app
        .api()
        .post(
            "/api/v1/login",
            json!({"username": "ana", "password": "a calm long phrase"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = r.json().await.expect("a JSON error under /api");
    assert_eq!(body["error"], "unavailable");

    let app = app.restart().await;
    let api = app.browser().api_as("ana").await;
    let (status, list) = api.json("/api/v1/checkins").await;
    assert_eq!(status, StatusCode::OK);
    let acts: Vec<&str> = list["mine"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["act"].as_str().unwrap())
        .collect();
    assert_eq!(acts, ["Kept my word"], "the acknowledged check-in survived");
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route_and_no_other() {
    let app = TestApp::spawn(common::Engine::Sqlite).await;
    let (status, doc) = app.api().json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let served: BTreeSet<(String, String)> = kintsugi_web::endpoints()
        .into_iter()
        .filter(|e| e.path.starts_with("/api/") && e.path != "/api/v1/openapi.json")
        .map(|e| (e.method.to_string(), e.path))
        .collect();
    assert_eq!(documented, served);
}

#[tokio::test]
async fn logging_in_is_rate_limited_per_account() {
    let app = TestApp::spawn(common::Engine::Sqlite).await;
    app.browser().signup("ana").await;
    let intruder = app.browser();
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(intruder.login("ana", "guessing wrong").await.status());
    }
    assert!(statuses[..5].iter().all(|s| *s == StatusCode::FORBIDDEN));
    let r = intruder.login("ana", "a calm long phrase").await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits once the account is under attack"
    );
    assert!(r.text().await.unwrap().contains("wait a minute"));
    // Another account is unaffected.
    app.browser().signup("ben").await;
    assert_eq!(
        app.browser()
            .login("ben", "a calm long phrase")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}
