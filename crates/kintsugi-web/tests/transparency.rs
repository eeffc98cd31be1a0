//! Stage 9: the transparency log. Disclosures are recorded by the repairing
//! partner only, every proof the API serves verifies, and every way of
//! rewriting the log behind Kintsugi's back — an entry edited, removed,
//! reordered or slipped in, the log rolled back, the two partners shown
//! different logs — is caught by the verification a partner runs.

mod common;

use common::{Api, TestApp};
use kintsugi_core::transparency::{
    decode_proof, parse_hash, tlog, verify_bundle, verify_consistency, verify_inclusion, Bundle,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    the_repairing_partner_records_and_both_verify,
    bad_input_gets_a_clear_answer_and_nothing_is_lost,
    an_edited_entry_is_caught,
    a_removed_entry_is_caught,
    reordered_entries_are_caught,
    an_entry_slipped_in_is_caught,
    a_rolled_back_log_is_caught,
    a_log_forked_between_the_partners_is_caught,
);

const ENTRIES: [&str; 3] = [
    "I was at the office until 21:00 and drove straight home.",
    "J. wrote to me about the project; I answered only about work.",
    "I have started going to the gym on Tuesday evenings.",
];

async fn record(api: &Api, category: &str, text: &str) -> Value {
    let r = api
        .post(
            "/api/v1/transparency",
            json!({"category": category, "occurred_at": "2026-11-20T19:05", "text": text}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

async fn bundle(api: &Api) -> Bundle {
    let r = api.get("/api/v1/transparency/bundle").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    r.json().await.unwrap()
}

/// Ana (hurt) and Ben (repairing), with Ben's three disclosures recorded,
/// and the signed checkpoint Ana's browser kept at each size.
async fn logged(app: &TestApp) -> (Api, Api, Vec<String>) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (ana, ben) = (ana.api_as("ana").await, ben.api_as("ben").await);
    let mut seen = Vec::new();
    for (text, category) in ENTRIES.iter().zip(["whereabouts", "contact", "routine"]) {
        record(&ben, category, text).await;
        let (_, c) = ana.json("/api/v1/transparency/checkpoint").await;
        seen.push(c["note"].as_str().unwrap().to_owned());
    }
    (ana, ben, seen)
}

async fn key(api: &Api) -> String {
    let (_, c) = api.json("/api/v1/transparency/checkpoint").await;
    c["key"].as_str().unwrap().to_owned()
}

async fn the_repairing_partner_records_and_both_verify(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;

    // An empty log still has a signed checkpoint, so a first visit can pin it.
    let (s, empty) = ana
        .api_as("ana")
        .await
        .json("/api/v1/transparency/checkpoint")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(empty["size"], 0);
    assert_eq!(
        empty["root"],
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    );

    // Ben records from the page; the form is his alone.
    let (_, page) = ben.page("/transparency").await;
    assert!(page.contains("Make something known"));
    let r = ben
        .post(
            "/transparency",
            &[
                ("category", "whereabouts"),
                ("occurred_at", "2026-11-20T19:05"),
                ("text", ENTRIES[0]),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/transparency#entry-0");
    let (_, page) = ana.page("/transparency").await;
    assert!(page.contains("office until 21:00"));
    assert!(
        !page.contains("Make something known"),
        "no form for the hurt partner"
    );
    assert!(!page.contains("no longer match"));

    // The hurt partner cannot write to the log, by page or API.
    let r = ana
        .post(
            "/transparency",
            &[
                ("category", "other"),
                ("occurred_at", "2026-11-20T19:05"),
                ("text", "x"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let ana = ana.api_as("ana").await;
    let r = ana
        .post(
            "/api/v1/transparency",
            json!({"category": "other", "occurred_at": "2026-11-20T19:05", "text": "x"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let ben = ben.api_as("ben").await;
    let (_, first) = ana.json("/api/v1/transparency/checkpoint").await;
    let c = record(&ben, "contact", ENTRIES[1]).await;
    assert_eq!(c["size"], 2);
    // A correction is a new entry pointing back; the old one stays.
    let r = ben
        .post(
            "/api/v1/transparency",
            json!({"category": "contact", "occurred_at": "2026-11-20T19:30", "text": "It was 19:30, not 19:05.", "corrects": 1}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let (_, log) = ana.json("/api/v1/transparency").await;
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[1]["text"], ENTRIES[1]);
    assert_eq!(entries[2]["corrects"], 1);
    assert_eq!(entries[0]["author"], "partner");
    let c = &log["checkpoint"];
    assert_eq!(c["size"], 3);
    let root = parse_hash(c["root"].as_str().unwrap()).unwrap();

    // Every inclusion proof leads to the signed root.
    let b = bundle(&ana).await;
    let verified = verify_bundle(
        &b,
        Some(&key(&ana).await),
        &[first["note"].as_str().unwrap().to_owned()],
    )
    .expect("an honest log verifies");
    assert_eq!((verified.size, verified.root), (3, root));
    for (i, e) in b.entries.iter().enumerate() {
        let (s, p) = ana
            .json(&format!(
                "/api/v1/transparency/proofs/inclusion?index={i}&size=3"
            ))
            .await;
        assert_eq!(s, StatusCode::OK);
        let proof =
            decode_proof(&serde_json::from_value::<Vec<String>>(p["proof"].clone()).unwrap())
                .unwrap();
        let leaf = kintsugi_core::transparency::leaf_hash(
            &kintsugi_core::transparency::DisclosureDraft::parse(
                &e.category,
                &e.occurred_at,
                &e.text,
                &e.corrects.map(|c| c.to_string()).unwrap_or_default(),
                3,
            )
            .unwrap()
            .seal(base64_salt(&e.salt))
            .commitment(),
        );
        verify_inclusion(&proof, 3, &root.0, i as u64, &leaf.0).unwrap();
    }
    // And the consistency proof from what Ana saw first.
    let (s, p) = ana
        .json("/api/v1/transparency/proofs/consistency?from=1&to=3")
        .await;
    assert_eq!(s, StatusCode::OK);
    let proof =
        decode_proof(&serde_json::from_value::<Vec<String>>(p["proof"].clone()).unwrap()).unwrap();
    let old = parse_hash(first["root"].as_str().unwrap()).unwrap();
    verify_consistency(&proof, 1, &old.0, 3, &root.0).unwrap();
    // Each earlier checkpoint is served as it was signed.
    let (s, again) = ana.json("/api/v1/transparency/checkpoints/1").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(again["note"], first["note"]);
    assert_eq!(
        ana.json("/api/v1/transparency/checkpoints/9").await.0,
        StatusCode::NOT_FOUND
    );

    // A stranger's log is their own: another origin, none of these words.
    let (cy, _) = app.couple("cyd", "dee").await;
    let cy = cy.api_as("cyd").await;
    let (s, theirs) = cy.json("/api/v1/transparency").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(theirs["checkpoint"]["size"], 0);
    assert_ne!(theirs["checkpoint"]["origin"], log["checkpoint"]["origin"]);
    assert!(!theirs.to_string().contains("office"));
    // A proof about a tree this couple does not have is refused.
    let (s, _) = cy
        .json("/api/v1/transparency/proofs/inclusion?index=0&size=3")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = app.api().json("/api/v1/transparency").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

fn base64_salt(b64: &str) -> [u8; 32] {
    parse_hash(b64).unwrap().0
}

async fn bad_input_gets_a_clear_answer_and_nothing_is_lost(app: TestApp) {
    let (_, ben) = app.couple("ana", "ben").await;
    let words = "Dinner with my brother — 🍝 and “a long talk”.";
    let r = ben
        .post(
            "/transparency",
            &[
                ("category", "gossip"),
                ("occurred_at", "yesterday"),
                ("text", words),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Please choose what this is about"));
    assert!(page.contains("Please give the date and time"));
    assert!(
        page.contains("“a long talk”"),
        "the words are kept in the form"
    );

    let api = ben.api_as("ben").await;
    let r = api
        .post(
            "/api/v1/transparency",
            json!({"category": "other", "occurred_at": "2026-11-20T19:05", "text": "x", "corrects": 0}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing to correct yet"
    );
    let r = api
        .post(
            "/api/v1/transparency",
            json!({"category": "other", "occurred_at": "2026-11-20T19:05", "text": "x".repeat(2001)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = api
        .http
        .post(format!("{}/api/v1/transparency", api.base))
        .bearer_auth(api.token.as_ref().unwrap())
        .header("content-type", "application/json")
        .body("{\"category\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    for q in ["from=0&to=0", "from=2&to=1", "from=1&to=5", "from=x&to=1"] {
        let (s, _) = api
            .json(&format!("/api/v1/transparency/proofs/consistency?{q}"))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}");
    }
    let (_, log) = api.json("/api/v1/transparency").await;
    assert_eq!(
        log["entries"].as_array().unwrap().len(),
        0,
        "nothing half-written"
    );
}

/// Verifies the log as Ana downloads it, against the checkpoints she kept.
async fn problems(ana: &Api, seen: &[String]) -> Vec<String> {
    let b = bundle(ana).await;
    verify_bundle(&b, Some(&key(ana).await), seen)
        .err()
        .unwrap_or_default()
}

async fn an_edited_entry_is_caught(app: TestApp) {
    let (ana, _, seen) = logged(&app).await;
    assert!(problems(&ana, &seen).await.is_empty());
    app.execute("UPDATE disclosures SET text = 'I was at the office.' WHERE position = 0")
        .await;
    let found = problems(&ana, &seen).await;
    assert!(
        found.iter().any(|p| p.contains("do not match")),
        "{found:?}"
    );
    // The server's own check says so on the page, to both partners.
    let page = ana_page(&app).await;
    assert!(page.contains("no longer match their signed checkpoints"));
}

async fn ana_page(app: &TestApp) -> String {
    let b = app.browser();
    assert_eq!(
        b.login("ana", "a calm long phrase").await.status(),
        StatusCode::SEE_OTHER
    );
    b.page("/transparency").await.1
}

async fn a_removed_entry_is_caught(app: TestApp) {
    let (ana, _, seen) = logged(&app).await;
    app.execute("DELETE FROM disclosures WHERE position = 1")
        .await;
    assert!(!problems(&ana, &seen).await.is_empty());
    assert!(
        !problems(&ana, &[]).await.is_empty(),
        "even without a kept checkpoint"
    );
}

async fn reordered_entries_are_caught(app: TestApp) {
    let (ana, _, seen) = logged(&app).await;
    app.execute("UPDATE disclosures SET position = 100 WHERE position = 0")
        .await;
    app.execute("UPDATE disclosures SET position = 0 WHERE position = 1")
        .await;
    app.execute("UPDATE disclosures SET position = 1 WHERE position = 100")
        .await;
    let found = problems(&ana, &[]).await;
    assert!(
        found.iter().any(|p| p.contains("do not match")),
        "{found:?}"
    );
    assert!(!problems(&ana, &seen).await.is_empty());
}

async fn an_entry_slipped_in_is_caught(app: TestApp) {
    let (ana, _, seen) = logged(&app).await;
    app.execute(
        "INSERT INTO disclosures (couple_id, position, author_id, category, occurred_at, text, corrects, salt, created_at) \
         SELECT couple_id, 3, author_id, 'other', '2026-11-21T10:00', 'Nothing else happened.', NULL, salt, created_at \
         FROM disclosures WHERE position = 0",
    )
    .await;
    let found = problems(&ana, &seen).await;
    assert!(
        found.iter().any(|p| p.contains("covers 3 entries")),
        "{found:?}"
    );
}

/// Deletes the last entry with its hashes and checkpoint, as an operator
/// hiding it would.
async fn roll_back_last(app: &TestApp, size: u64) {
    let n = size - 1;
    app.execute(&format!("DELETE FROM disclosures WHERE position = {n}"))
        .await;
    app.execute(&format!(
        "DELETE FROM log_hashes WHERE position >= {}",
        tlog::stored_hash_index(0, n)
    ))
    .await;
    app.execute(&format!("DELETE FROM log_checkpoints WHERE size = {size}"))
        .await;
}

async fn a_rolled_back_log_is_caught(app: TestApp) {
    let (ana, _, seen) = logged(&app).await;
    roll_back_last(&app, 3).await;
    // The shorter log is consistent with itself and with older checkpoints…
    assert!(problems(&ana, &seen[..2]).await.is_empty());
    // …but not with the one Ana's browser kept.
    let found = problems(&ana, &seen).await;
    assert!(found.iter().any(|p| p.contains("rolled back")), "{found:?}");
    let (s, _) = ana
        .json("/api/v1/transparency/proofs/consistency?from=3&to=2")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

async fn a_log_forked_between_the_partners_is_caught(app: TestApp) {
    let (ana, ben, seen) = logged(&app).await;
    // Ana has seen three entries. The operator drops the third and lets a
    // different third be written, properly signed: what Ben sees from now on
    // verifies on its own, but it is not the log Ana saw.
    roll_back_last(&app, 3).await;
    let c = record(&ben, "routine", "I stopped going to the gym.").await;
    assert_eq!(c["size"], 3);
    let bens = bundle(&ben).await;
    assert!(verify_bundle(&bens, Some(&key(&ben).await), &[]).is_ok());
    let found = problems(&ana, &seen).await;
    assert!(found.iter().any(|p| p.contains("rewritten")), "{found:?}");
    // The same size with another root: no proof can reconcile them.
    let (_, now) = ana.json("/api/v1/transparency/checkpoint").await;
    let kept = kintsugi_core::transparency::Checkpoint::open(
        &seen[2],
        &key(&ana).await,
        now["origin"].as_str().unwrap(),
    )
    .unwrap();
    let root = parse_hash(now["root"].as_str().unwrap()).unwrap();
    assert!(verify_consistency(&[], 3, &kept.root.0, 3, &root.0).is_err());
}
