//! A couple's first days, end to end over HTTP: sign up, the safety check,
//! the couple's space and its invitation, the program, and check-ins.

mod common;

use common::{safe_answers, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    a_couple_pairs_and_checks_in,
    the_second_check_in_of_a_day_amends_and_keeps_the_first,
    invitations_work_once_and_for_two_only,
    a_concerning_safety_answer_rests_the_shared_space_without_saying_why,
    the_api_does_what_the_pages_do,
    logging_out_ends_the_session,
);

async fn a_couple_pairs_and_checks_in(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;

    let (status, home) = ana.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("Trust is a daily choice"),
        "the program lists the stages"
    );
    for stage in &kintsugi_core::program::STAGES {
        let path = stage.path.expect("every stage has its tool");
        assert!(
            home.contains(&format!("href=\"{path}\"")),
            "stage {} links to {path}",
            stage.number
        );
    }
    assert!(
        home.contains("today&#39;s check-in") || home.contains("today's check-in"),
        "the suggestion is to check in"
    );

    let (_, couple) = ben.page("/couple").await;
    assert!(couple.contains("ana"), "the partner's name is shown");
    assert!(
        couple.contains("the partner who is repairing"),
        "the joiner takes the complementary role"
    );

    let r = ana
        .check_in(&[
            ("trust", "3"),
            ("visibility", "shared"),
            ("act", "Said what I needed"),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = ben
        .check_in(&[
            ("trust", "8"),
            ("visibility", "private"),
            ("act", "Private thing only I know"),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let (_, ben_page) = ben.page("/checkin").await;
    assert!(
        ben_page.contains("ana (shared)"),
        "the partner's shared line is on the chart"
    );
    assert!(ben_page.contains("<svg"), "charts are server-rendered SVG");
    let (_, ana_page) = ana.page("/checkin?days=90").await;
    assert!(
        !ana_page.contains("Private thing only I know"),
        "a private check-in never reaches the partner"
    );
    assert!(ana_page.contains("Last 90 days"));

    let (_, home) = ana.page("/").await;
    assert!(
        home.contains("checked in on 1 day"),
        "the program shows what was done"
    );
}

async fn the_second_check_in_of_a_day_amends_and_keeps_the_first(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    assert_eq!(
        ana.check_in(&[("act", "First version"), ("visibility", "shared")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        ana.check_in(&[("act", "Second version"), ("visibility", "private")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let ana_api = ana.api_as("ana").await;
    let (_, list) = ana_api.json("/api/v1/checkins").await;
    assert_eq!(
        list["mine"].as_array().unwrap().len(),
        1,
        "one check-in per day"
    );
    assert_eq!(list["mine"][0]["act"], "Second version");
    assert_eq!(list["mine"][0]["version"], 2);

    let day = list["mine"][0]["day"].as_str().unwrap().to_owned();
    let (status, history) = ana.page(&format!("/checkin/history/{day}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        history.contains("First version") && history.contains("Second version"),
        "every version is kept"
    );

    // Amended to private: the earlier shared version no longer reaches the partner.
    let ben_api = ben.api_as("ben").await;
    let (_, list) = ben_api.json("/api/v1/checkins").await;
    assert!(list["partner"].as_array().unwrap().is_empty());
    let (status, _) = ben.page(&format!("/checkin/history/{day}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the history is the author's alone"
    );
}

async fn invitations_work_once_and_for_two_only(app: TestApp) {
    let ana = app.founder("ana", "both").await;
    let link = ana.invite().await;

    // The founder opening her own link is told to send it on.
    let (_, page) = ana.page(&link).await;
    assert!(page.contains("your own space"));

    let ben = app.browser();
    ben.signup("ben").await;
    ben.pass_safety().await;
    ben.join(&link).await;
    let (_, couple) = ben.page("/couple").await;
    assert!(
        couple.contains("both hurt and repairing"),
        "a mutual role stays mutual"
    );

    // Replaying the used link, and a third person, are turned away.
    let cat = app.browser();
    cat.signup("cat").await;
    cat.pass_safety().await;
    let (_, page) = cat.page(&link).await;
    assert!(page.contains("already been used"));
    let r = cat.post(&link, &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (_, page) = cat.page("/couple").await;
    assert!(page.contains("Create our space"), "cat is in no couple");

    // A couple with two partners cannot make more invitations.
    let r = ana.post("/couple/invitations", &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // Unknown links say so, to visitors and to people logged in.
    let (_, page) = app.browser().page("/join/not-a-real-token").await;
    assert!(page.contains("not valid"));
}

async fn a_concerning_safety_answer_rests_the_shared_space_without_saying_why(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    assert_eq!(
        ana.check_in(&[("visibility", "shared"), ("act", "Shared before")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let mut answers = safe_answers();
    answers[0].1 = "yes";
    let r = ben.answer_safety(&answers).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the calm page is a page of its own, so a reload never sends the answers again"
    );
    assert_eq!(r.headers()["location"], "/safety");
    let (status, page) = ben.page("/safety").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Your safety comes first"));
    assert!(page.contains("1-800-799-7233"), "where to find help");

    // Ben's page shows no shared entries and sharing is disabled.
    let (_, ben_page) = ben.page("/checkin").await;
    assert!(!ben_page.contains("Shared before"));
    assert!(
        ben.check_in(&[("visibility", "shared")]).await.status()
            == StatusCode::UNPROCESSABLE_ENTITY
    );

    // Ana sees only the neutral notice: nothing about an answer or a check.
    let (_, ana_page) = ana.page("/checkin").await;
    assert!(ana_page.contains("Your shared space is resting for now."));
    for leak in [
        "concerning",
        "afraid",
        "Your safety comes first",
        "answered",
    ] {
        assert!(
            !ana_page.contains(leak),
            "the partner's page must not say {leak:?}"
        );
    }
    let ana_api = ana.api_as("ana").await;
    let (_, couple) = ana_api.json("/api/v1/couple").await;
    assert_eq!(couple["shared_space_open"], false);
    assert!(!couple.to_string().contains("concerning"));

    // Retaking it with clear answers opens the space again.
    ben.pass_safety().await;
    let (_, ben_page) = ben.page("/checkin").await;
    assert!(ben_page.contains("Shared before"), "{ben_page}");
}

async fn the_api_does_what_the_pages_do(app: TestApp) {
    let mut ana = app.api();
    let r = ana
        .post(
            "/api/v1/signup",
            json!({ "username": "ana", "password": "a calm long phrase" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: Value = r.json().await.unwrap();
    ana.token = Some(body["token"].as_str().unwrap().to_owned());

    let r = ana.post("/api/v1/couple", json!({ "role": "hurt" })).await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "the safety check comes first"
    );
    let answers: serde_json::Map<String, Value> = safe_answers()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    let r = ana
        .post("/api/v1/safety-check", json!({ "answers": answers }))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = ana.post("/api/v1/couple", json!({ "role": "hurt" })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = ana.post("/api/v1/couple/invitations", json!({})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let invitation: Value = r.json().await.unwrap();
    assert!(invitation["url"].as_str().unwrap().starts_with(&app.base));

    let mut ben = app.api();
    let body: Value = ben
        .post(
            "/api/v1/signup",
            json!({ "username": "ben", "password": "a calm long phrase" }),
        )
        .await
        .json()
        .await
        .unwrap();
    ben.token = Some(body["token"].as_str().unwrap().to_owned());
    ben.post("/api/v1/safety-check", json!({ "answers": answers }))
        .await;
    let token = invitation["token"].as_str().unwrap();
    let r = ben
        .post(&format!("/api/v1/invitations/{token}/accept"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let couple: Value = r.json().await.unwrap();
    assert_eq!(couple["role"], "repairing");
    assert_eq!(couple["partner"]["username"], "ana");
    assert_eq!(couple["shared_space_open"], true);

    let r = ben.post("/api/v1/checkins", json!({ "trust": 6, "safety": 7, "connection": 5, "act_kind": "honesty", "act": "Told the truth about Friday", "visibility": "shared" })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let (status, seen) = ana
        .json(&format!("/api/v1/checkins/{}", created["id"]))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["author"], "partner");
    assert_eq!(seen["trust"], 6);

    let (status, program) = ana.json("/api/v1/program").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(program["stages"].as_array().unwrap().len(), 13);
    let (_, me) = ana.json("/api/v1/me").await;
    assert_eq!(me["username"], "ana");
}

async fn logging_out_ends_the_session(app: TestApp) {
    let ana = app.founder("ana", "hurt").await;
    let (status, _) = ana.page("/checkin").await;
    assert_eq!(status, StatusCode::OK);
    let r = ana.post("/logout", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = ana.get("/checkin").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login"));

    // Logging back in works, and a wrong password gets the same words as an unknown name.
    let wrong = ana.login("ana", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let wrong = wrong.text().await.unwrap();
    let unknown = ana
        .login("nobody-here", "not the password")
        .await
        .text()
        .await
        .unwrap();
    let msg = "That username and password do not match an account.";
    assert!(wrong.contains(msg) && unknown.contains(msg));
    assert_eq!(
        ana.login("ana", "a calm long phrase").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn sessions_expire() {
    let app = TestApp::spawn_with(|c| c.session_hours = 1).await;
    let ana = app.founder("ana", "hurt").await;
    // Age every session past its end, as time passing would.
    let db = format!("{}/kintsugi.db", app.dir.path().display());
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{db}"))
        .await
        .unwrap();
    sqlx::query("UPDATE sessions SET expires_at = 0")
        .execute(&pool)
        .await
        .unwrap();
    let r = ana.get("/checkin").await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "an expired session no longer logs in"
    );
}
