//! The couple owns its data: each partner's export holds what they can see
//! and never the partner's private records; every table is classified;
//! leaving and deleting erase what was private, leave what was shared to
//! the remaining partner under "former partner", keep the transparency log
//! verifiable, and erase the couple when no one is left.

mod common;

use common::{Browser, Engine, TestApp};
use kintsugi_core::transparency::{verify_bundle, Bundle};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    an_export_holds_ones_own_private_records_and_never_the_partners,
    every_table_is_exported_or_excluded_with_a_reason,
    deleting_an_account_leaves_what_was_shared_to_the_former_partner,
    leaving_keeps_the_account_and_when_both_leave_the_couple_is_erased,
    guessing_the_password_to_delete_is_slowed_like_a_login,
);

// Many wrong passwords in a row: past the per-minute limit, which has its own test.
on_both_engines!(with unlimited; bad_and_forged_confirmations_change_nothing);

fn unlimited(config: &mut kintsugi_web::Config) {
    config.limits.login_per_account = 1000;
    config.limits.login_per_address = 1000;
}

// Words that appear in one record each.
const ANA_PRIVATE_CHECKIN: &str = "lanternmoth";
const ANA_JOURNAL: &str = "quillharbor";
const ANA_DRAFT: &str = "mistorchard";
const ANA_SHARED: &str = "sunlitferry";
const BEN_PRIVATE_CHECKIN: &str = "hollowpebble";
const BEN_JOURNAL: &str = "duskwillow";
const BEN_DRAFT: &str = "frostlinden";
const BEN_APOLOGY_DRAFT: &str = "velvetanchor";
const BEN_SHARED_CHECKIN: &str = "goldenheron";
const BEN_UNSHARED_LATER: &str = "brasscompass";
const BEN_MESSAGE: &str = "meadowkite";
const BEN_DISCLOSURE: &str = "ivorybeacon";

const BEN_PRIVATE: [&str; 5] = [
    BEN_PRIVATE_CHECKIN,
    BEN_JOURNAL,
    BEN_DRAFT,
    BEN_APOLOGY_DRAFT,
    BEN_UNSHARED_LATER,
];

/// Ana (hurt) and Ben (repairing), each with private and shared records.
async fn world(app: &TestApp) -> (Browser, Browser) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let ok = |r: reqwest::Response| {
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.url());
    };
    ok(ana
        .check_in(&[("act", ANA_PRIVATE_CHECKIN), ("visibility", "private")])
        .await);
    ok(ana
        .post(
            "/journal",
            &[
                ("feelings", "lonely"),
                ("intensity", "6"),
                ("text", ANA_JOURNAL),
            ],
        )
        .await);
    ok(ana
        .post("/reflection/distance", &[("text", ANA_DRAFT)])
        .await);
    ok(ana
        .post("/reflection/needs/share", &[("text", ANA_SHARED)])
        .await);

    // Ben shares a check-in, then amends it the same day as private: the
    // shared words are no longer his current check-in, so Ana never sees them.
    ok(ben
        .check_in(&[("act", BEN_UNSHARED_LATER), ("visibility", "shared")])
        .await);
    ok(ben
        .check_in(&[("act", BEN_PRIVATE_CHECKIN), ("visibility", "private")])
        .await);
    ok(ben
        .post(
            "/journal",
            &[
                ("feelings", "ashamed"),
                ("intensity", "7"),
                ("text", BEN_JOURNAL),
            ],
        )
        .await);
    ok(ben
        .post("/reflection/distance", &[("text", BEN_DRAFT)])
        .await);
    ok(ben
        .post("/statements/apology", &[("text", BEN_APOLOGY_DRAFT)])
        .await);
    ok(ben
        .post(
            "/messages",
            &[("text", &format!("Thank you for the {BEN_MESSAGE} today."))],
        )
        .await);
    ok(ben
        .post(
            "/transparency",
            &[
                ("category", "whereabouts"),
                ("occurred_at", "2026-11-20T19:05"),
                ("text", &format!("At the {BEN_DISCLOSURE} until nine.")),
            ],
        )
        .await);
    (ana, ben)
}

async fn download(b: &Browser, format: &str) -> (reqwest::header::HeaderMap, String) {
    let r = b
        .get(&format!("/account/export/download?format={format}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{format} export");
    let headers = r.headers().clone();
    (headers, r.text().await.unwrap())
}

async fn an_export_holds_ones_own_private_records_and_never_the_partners(app: TestApp) {
    let (ana, ben) = world(&app).await;
    // Ben's only shared check-in is the one he shares now.
    assert_eq!(
        ben.check_in(&[("act", BEN_SHARED_CHECKIN), ("visibility", "shared")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let (status, page) = ana.page("/account/export").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/account/export/download?format=html"));
    assert!(page.contains("/account/export/download?format=json"));

    for format in ["json", "html", "markdown"] {
        let (headers, body) = download(&ana, format).await;
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"kintsugi-ana-")
                && disposition.ends_with(&format!(
                    ".{}\"",
                    if format == "markdown" { "md" } else { format }
                )),
            "{disposition}"
        );
        for own in [ANA_PRIVATE_CHECKIN, ANA_JOURNAL, ANA_DRAFT, ANA_SHARED] {
            assert!(
                body.contains(own),
                "{format}: Ana's own {own} is in her export"
            );
        }
        for shared in [BEN_MESSAGE, BEN_DISCLOSURE] {
            assert!(body.contains(shared), "{format}: Ben's shared {shared}");
        }
        for private in BEN_PRIVATE {
            assert!(!body.contains(private), "{format}: LEAKED Ben's {private}");
        }
    }
    let (_, html) = download(&ana, "html").await;
    assert!(html.contains("<style>") && !html.contains("<script") && !html.contains("<link"));
    assert!(html.contains("your partner (ben)"));

    // The API gives the same document, as JSON, versioned.
    let api = ana.api_as("ana").await;
    let r = api.get("/api/v1/export").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".json"));
    let export: Value = r.json().await.unwrap();
    assert_eq!(export["format"], "kintsugi-export");
    assert_eq!(export["format_version"], 1);
    assert_eq!(export["person"]["name"], "ana");
    let section = |v: &Value, table: &str| -> Vec<Value> {
        v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["table"] == table)
            .unwrap_or_else(|| panic!("a {table} section"))["records"]
            .as_array()
            .unwrap()
            .clone()
    };
    // Ben's coaching tally is his: his message is there, its counts are not.
    let messages = section(&export, "messages");
    assert_eq!(messages.len(), 1);
    assert!(messages[0]["concerns_first"].is_null());
    assert!(messages[0]["concerns_sent"].is_null());
    let ben_id = export["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["relation"] == "partner")
        .unwrap()["id"]
        .clone();
    let checkins = section(&export, "check_ins");
    let bens: Vec<_> = checkins.iter().filter(|c| c["user_id"] == ben_id).collect();
    assert_eq!(
        bens.len(),
        1,
        "only Ben's current shared check-in: {bens:?}"
    );
    assert_eq!(bens[0]["act"], BEN_SHARED_CHECKIN);
    assert!(section(&export, "journal_entries")
        .iter()
        .all(|j| j["text"] == ANA_JOURNAL));

    // Ben's own export holds his private words, and none of Ana's.
    let (_, his) = download(&ben, "json").await;
    for own in BEN_PRIVATE {
        assert!(his.contains(own), "Ben's own {own}");
    }
    for private in [ANA_PRIVATE_CHECKIN, ANA_JOURNAL, ANA_DRAFT] {
        assert!(!his.contains(private), "LEAKED Ana's {private} to Ben");
    }
    assert!(his.contains(ANA_SHARED));
    let his: Value = serde_json::from_str(&his).unwrap();
    assert!(section(&his, "messages")[0]["concerns_first"].is_i64());

    // A stranger's export holds nothing of this couple's.
    let cy = app.founder("cyd", "both").await;
    let (_, theirs) = download(&cy, "markdown").await;
    for word in BEN_PRIVATE.iter().chain(&[
        ANA_PRIVATE_CHECKIN,
        ANA_JOURNAL,
        ANA_SHARED,
        BEN_MESSAGE,
        BEN_DISCLOSURE,
    ]) {
        assert!(!theirs.contains(word), "LEAKED {word} to a stranger");
    }

    // Logged out: to the login page, or 401 for the API.
    let anon = app.browser();
    let r = anon.get("/account/export/download?format=json").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.api().get("/api/v1/export").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn every_table_is_exported_or_excluded_with_a_reason(app: TestApp) {
    use kintsugi_store::ownership::{unclassified, Exported, TABLES};
    let tables = app.state.store.table_names().await.unwrap();
    assert!(tables.iter().any(|t| t == "check_ins"), "{tables:?}");
    let missing = unclassified(&tables);
    assert!(
        missing.is_empty(),
        "tables neither exported nor excluded with a reason in \
         kintsugi_store::ownership::TABLES: {missing:?}. Decide, for each, what a person's export \
         holds of it and what happens to its rows when a partner leaves."
    );
    for rule in TABLES {
        if let Exported::Excluded(reason) = rule.export {
            assert!(reason.len() > 20, "{}: say why it is excluded", rule.table);
        }
        assert!(
            tables.iter().any(|t| t == rule.table),
            "{} is classified but not in the schema",
            rule.table
        );
    }
    // Every column of a couple's table that points at a person must be
    // re-attributed when they leave, or their departure would take shared
    // records with it (ON DELETE CASCADE) or keep their account tied to it.
    let fk_sql = match app.engine {
        Engine::Sqlite => "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
                           WHERE m.type = 'table' AND f.\"table\" = 'users'",
        Engine::Postgres => "SELECT kcu.table_name::text, kcu.column_name::text FROM information_schema.referential_constraints rc \
                             JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name \
                             JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.unique_constraint_name \
                             WHERE ccu.table_name = 'users' AND kcu.table_schema = current_schema()",
    };
    let references = rows(&app, fk_sql).await;
    assert!(!references.is_empty());
    for (table, column) in references {
        let rule = TABLES.iter().find(|r| r.table == table).unwrap();
        let person_owned = !rule.couple_scoped;
        assert!(
            person_owned || rule.people.contains(&column.as_str()),
            "{table}.{column} names a person: list it in `people` so a departure re-attributes it"
        );
    }
    // Every export query runs on this engine.
    let (ana, _) = app.couple("ana", "ben").await;
    let (_, body) = download(&ana, "json").await;
    let export: Value = serde_json::from_str(&body).unwrap();
    let exported = TABLES
        .iter()
        .filter(|r| matches!(r.export, Exported::Rows(_)))
        .count();
    assert_eq!(export["sections"].as_array().unwrap().len(), exported);
}

/// Rows of two text columns, read behind the server's back.
async fn rows(app: &TestApp, sql: &str) -> Vec<(String, String)> {
    match app.engine {
        Engine::Sqlite => {
            let db = format!("sqlite://{}/kintsugi.db", app.dir.path().display());
            let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
            let out = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
            pool.close().await;
            out
        }
        Engine::Postgres => {
            let pool = sqlx::PgPool::connect(&app.config.database_url)
                .await
                .unwrap();
            let out = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
            pool.close().await;
            out
        }
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let out = rows(app, &format!("SELECT CAST(({sql}) AS TEXT), ''")).await;
    out[0].0.parse().unwrap()
}

async fn deleting_an_account_leaves_what_was_shared_to_the_former_partner(app: TestApp) {
    let (ana, ben) = world(&app).await;
    let ben_api = ben.api_as("ben").await;
    let (_, before) = ana
        .api_as("ana")
        .await
        .json("/api/v1/transparency/bundle")
        .await;
    let before: Bundle = serde_json::from_value(before).unwrap();
    let earlier = before.checkpoints.last().unwrap().clone();

    // The page says what happens before anything does.
    let (status, page) = ben.page("/account/delete").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("erased for good"));
    assert!(page.contains("former partner"));
    assert!(page.contains("username becomes free"));
    assert!(
        page.contains("/account/export/download?format=html"),
        "the export is offered first"
    );
    assert!(page.contains("name=\"password\""));

    let r = ben
        .post(
            "/account/delete",
            &[("understood", "yes"), ("password", "a calm long phrase")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("kintsugi_session=;") || cookie.contains("Max-Age=0"),
        "{cookie}"
    );
    let farewell = r.text().await.unwrap();
    assert!(farewell.contains("Your account is deleted"));

    // Every session ended, and the account is gone.
    assert_eq!(
        ben_api.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(ben.get("/checkin").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        ben.login("ben", "a calm long phrase").await.status(),
        StatusCode::FORBIDDEN
    );

    // Ana keeps what Ben shared, under "former partner", and nothing private of his.
    let (_, couple) = ana.page("/couple").await;
    assert!(couple.contains("former partner"));
    assert!(!couple.contains("ben"));
    let ana_api = ana.api_as("ana").await;
    let (_, c) = ana_api.json("/api/v1/couple").await;
    assert_eq!(c["partner"]["username"], "former partner");
    assert_eq!(c["partner"]["former"], true);
    let (_, messages) = ana.page("/messages").await;
    assert!(messages.contains(BEN_MESSAGE));
    assert!(messages.contains("former partner"));
    let (_, export) = download(&ana, "json").await;
    assert!(export.contains(BEN_MESSAGE) && export.contains(BEN_DISCLOSURE));
    assert!(export.contains("\"former_partner\""));
    assert!(!export.contains("\"ben\""));
    for private in BEN_PRIVATE {
        assert!(!export.contains(private), "LEAKED {private}");
    }
    let (_, html) = download(&ana, "html").await;
    assert!(html.contains("former partner") && !html.contains("(ben)"));

    // Erased for good: nothing of Ben's private records is left in the database.
    for (table, column) in [
        ("journal_entries", "text"),
        ("drafts", "text"),
        ("check_ins", "act"),
    ] {
        for word in BEN_PRIVATE {
            let n = count(
                &app,
                &format!("SELECT COUNT(*) FROM {table} WHERE {column} LIKE '%{word}%'"),
            )
            .await;
            assert_eq!(n, 0, "{word} left in {table}");
        }
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM users WHERE username = 'ben'").await,
        0
    );

    // The transparency log keeps every entry and still extends what Ana saw.
    let (_, after) = ana_api.json("/api/v1/transparency/bundle").await;
    let after: Bundle = serde_json::from_value(after).unwrap();
    assert_eq!(after.entries.len(), before.entries.len());
    let verified = verify_bundle(&after, Some(before.key.as_str()), &[earlier]);
    assert!(verified.is_ok(), "{verified:?}");

    // The username is free again, for a new account with no tie to the old one.
    let newcomer = app.browser();
    newcomer.signup("ben").await;
    newcomer.pass_safety().await;
    let (_, page) = newcomer.page("/couple").await;
    assert!(page.contains("Create our space"));
    let (_, theirs) = download(&newcomer, "json").await;
    assert!(!theirs.contains(BEN_MESSAGE) && !theirs.contains(ANA_SHARED));

    // No one can join Ana's space in Ben's seat.
    let r = ana.post("/couple/invitations", &[]).await;
    assert_ne!(r.status(), StatusCode::OK);
}

async fn leaving_keeps_the_account_and_when_both_leave_the_couple_is_erased(app: TestApp) {
    let (ana, ben) = world(&app).await;
    let (status, page) = ana.page("/couple/leave").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("journal") && page.contains("stay with you"));
    assert!(page.contains("former partner"));

    let ana_api = ana.api_as("ana").await;
    let r = ana_api
        .post(
            "/api/v1/couple/leave",
            json!({"password": "a calm long phrase"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body, json!({"done": "left", "couple_erased": false}));

    // Ana keeps her account and her journal; her private check-in in the
    // old couple is erased, and she is free to start again.
    assert_eq!(ana_api.get("/api/v1/me").await.status(), StatusCode::OK);
    let (_, mine) = download(&ana, "json").await;
    assert!(mine.contains(ANA_JOURNAL));
    assert!(!mine.contains(ANA_PRIVATE_CHECKIN) && !mine.contains(ANA_DRAFT));
    assert!(
        !mine.contains(BEN_MESSAGE),
        "the old couple's records stay there"
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM check_ins WHERE act = '{ANA_PRIVATE_CHECKIN}'")
        )
        .await,
        0
    );
    ana.create_couple("hurt").await;

    // Ben sees a former partner, and Ana's shared answer under that name.
    let (_, couple) = ben.page("/couple").await;
    assert!(couple.contains("former partner") && !couple.contains("ana"));
    let (_, reflection) = ben.page("/reflection").await;
    assert!(reflection.contains(ANA_SHARED));
    assert!(!reflection.contains(ANA_DRAFT));

    // Ben leaves too: no one is left, and the space is erased for good.
    let r = ben
        .post(
            "/couple/leave",
            &[("understood", "yes"), ("password", "a calm long phrase")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/couple");
    for word in [ANA_SHARED, BEN_MESSAGE, BEN_DISCLOSURE] {
        for (table, column) in [
            ("shared_texts", "text"),
            ("messages", "text"),
            ("disclosures", "text"),
        ] {
            let n = count(
                &app,
                &format!("SELECT COUNT(*) FROM {table} WHERE {column} LIKE '%{word}%'"),
            )
            .await;
            assert_eq!(n, 0, "{word} left in {table}");
        }
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM former_partners").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM users WHERE username LIKE 'Former:%'"
        )
        .await,
        0
    );
    // Ben's own journal stayed with him.
    let (_, his) = download(&ben, "json").await;
    assert!(his.contains(BEN_JOURNAL));
    let (_, page) = ben.page("/couple").await;
    assert!(page.contains("Create our space"));
}

async fn bad_and_forged_confirmations_change_nothing(app: TestApp) {
    let (ana, ben) = world(&app).await;
    // No form token: refused, nothing done.
    let r = ben
        .post_raw(
            "/account/delete",
            &[("understood", "yes"), ("password", "a calm long phrase")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A wrong password, an odd one, an empty one, a huge one, no tick.
    for (understood, password, says) in [
        ("yes", "not my password", "not your password"),
        ("yes", "ǅ\u{202e}🙂", "not your password"),
        ("yes", "", "enter your password"),
        ("yes", &"x".repeat(5000), "not your password"),
        ("", "a calm long phrase", "tick the box"),
    ] {
        let r = ben
            .post(
                "/account/delete",
                &[("understood", understood), ("password", password)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{says}");
        let page = r.text().await.unwrap();
        assert!(page.contains(says), "{says}");
        assert!(page.contains("What happens"), "the page is shown again");
    }
    let r = ben
        .post(
            "/couple/leave",
            &[("understood", "yes"), ("password", "nope nope nope")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let api = ben.api_as("ben").await;
    let r = api
        .post("/api/v1/account/delete", json!({"password": "wrong"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = api.post("/api/v1/account/delete", json!({"pass": 3})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = api
        .http
        .post(format!("{}/api/v1/couple/leave", api.base))
        .bearer_auth(api.token.as_ref().unwrap())
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = api.get("/api/v1/export?format=pdf").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Nothing was lost: Ben is still here, in his couple, with his words.
    assert_eq!(api.get("/api/v1/me").await.status(), StatusCode::OK);
    let (_, c) = ana.api_as("ana").await.json("/api/v1/couple").await;
    assert_eq!(c["partner"]["username"], "ben");
    let (_, his) = download(&ben, "json").await;
    assert!(his.contains(BEN_JOURNAL) && his.contains(BEN_PRIVATE_CHECKIN));

    // Someone in no couple has nothing to leave.
    let solo = app.browser();
    solo.signup("solo").await;
    solo.pass_safety().await;
    let (_, page) = solo.page("/couple/leave").await;
    assert!(page.contains("nothing to leave"));
    let r = solo
        .api_as("solo")
        .await
        .post(
            "/api/v1/couple/leave",
            json!({"password": "a calm long phrase"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // A delete replayed after it was done finds no session to act for.
    let r = ben
        .post(
            "/account/delete",
            &[("understood", "yes"), ("password", "a calm long phrase")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = ben
        .post_raw(
            "/account/delete",
            &[("understood", "yes"), ("password", "a calm long phrase")],
        )
        .await;
    assert_ne!(r.status(), StatusCode::OK);
}

async fn guessing_the_password_to_delete_is_slowed_like_a_login(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let r = ben
            .post(
                "/account/delete",
                &[("understood", "yes"), ("password", "a guess at it")],
            )
            .await;
        statuses.push(r.status());
    }
    assert_eq!(statuses[0], StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // Even the right password waits now, and nothing was deleted.
    let r = ben
        .post(
            "/account/delete",
            &[("understood", "yes"), ("password", "a calm long phrase")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let (_, couple) = ana.page("/couple").await;
    assert!(couple.contains("ben"));
}
