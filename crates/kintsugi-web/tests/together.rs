//! Stage 11, growing together: goals and steps either partner ticks off
//! with their history kept, rituals in plain words and as calendar rules,
//! coached appreciations, a book of good moments newest first, what the
//! timeline will read — and every request that must not work.

mod common;

use common::{Api, TestApp};
use kintsugi_core::UserId;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    either_partner_adds_and_ticks_steps_and_the_history_is_kept,
    rituals_are_described_in_words_and_remind_on_their_day,
    appreciations_are_read_by_the_coach_and_seen_by_both,
    good_moments_are_kept_newest_first,
    the_timeline_can_read_what_was_done_in_a_span_of_time,
    forged_requests_fail_clearly,
    bad_input_is_explained_and_nothing_typed_is_lost,
);

async fn goal(api: &Api, title: &str) -> Value {
    let r = api.post("/api/v1/goals", json!({ "title": title })).await;
    assert_eq!(r.status(), StatusCode::CREATED, "a goal is added");
    r.json().await.unwrap()
}

async fn step(api: &Api, goal: i64, text: &str) -> i64 {
    let r = api
        .post(
            &format!("/api/v1/goals/{goal}/steps"),
            json!({ "text": text }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED, "a step is added");
    let v: Value = r.json().await.unwrap();
    v["steps"].as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn tick(api: &Api, step: i64, done: Value) -> (StatusCode, Value) {
    let r = api
        .post(
            &format!("/api/v1/steps/{step}/tick"),
            json!({ "done": done }),
        )
        .await;
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn together(api: &Api) -> Value {
    let (status, v) = api.json("/api/v1/together").await;
    assert_eq!(status, StatusCode::OK);
    v
}

async fn user_id(api: &Api) -> UserId {
    let (_, me) = api.json("/api/v1/me").await;
    UserId(me["id"].as_i64().unwrap())
}

async fn either_partner_adds_and_ticks_steps_and_the_history_is_kept(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (a, b) = (ana.api_as("ana").await, ben.api_as("ben").await);

    // Ana adds a goal on the page; Ben adds a step to it through the API.
    let r = ana
        .post("/together/goals", &[("title", "More evenings just for us")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let goal_id = together(&b).await["goals"][0]["id"].as_i64().unwrap();
    let s = step(&b, goal_id, "Book the Thursday babysitter").await;
    let v = together(&a).await;
    assert_eq!(v["goals"][0]["title"], "More evenings just for us");
    assert_eq!(v["goals"][0]["added_by"], "me");
    assert_eq!(v["goals"][0]["steps"][0]["added_by"], "partner");
    assert_eq!(v["goals"][0]["steps"][0]["done"], false);

    // Ana ticks it off on the page: who and when are kept.
    let r = ana
        .post(&format!("/together/steps/{s}/tick"), &[("done", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let v = together(&b).await;
    let step_view = &v["goals"][0]["steps"][0];
    assert_eq!(step_view["done"], true);
    assert_eq!(step_view["done_by"], "partner");
    assert!(step_view["done_at"].as_i64().is_some());

    // Ticking it again (a replayed form) adds nothing to its history.
    ana.post(&format!("/together/steps/{s}/tick"), &[("done", "yes")])
        .await;
    assert_eq!(
        together(&a).await["goals"][0]["steps"][0]["history"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Ben un-ticks it: not done, and the history keeps both.
    let (status, v) = tick(&b, s, json!(false)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["done"], false);
    assert_eq!(v["done_by"], Value::Null);
    let history = v["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0]["by"].clone(), history[0]["done"].clone()),
        (json!("partner"), json!(true))
    );
    assert_eq!(
        (history[1]["by"].clone(), history[1]["done"].clone()),
        (json!("me"), json!(false))
    );
    let (_, v) = tick(&b, s, json!("yes")).await;
    assert_eq!(v["done_by"], "me");

    let (_, page) = ana.page("/together").await;
    assert!(page.contains("Book the Thursday babysitter"));
    assert!(page.contains("ticked off by ben"));
    assert!(page.contains("Its history"));
    assert!(page.contains("1 of 1 steps done."));
    let (_, home) = ana.page("/").await;
    assert!(home.contains("So far, together: 1 goal, 1 step done."));
}

async fn rituals_are_described_in_words_and_remind_on_their_day(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let b = ben.api_as("ben").await;

    let r = b
        .post(
            "/api/v1/rituals",
            json!({"name": "A six-second kiss", "repeats": "daily", "time": "07:30", "note": "Before work."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let daily: Value = r.json().await.unwrap();
    assert_eq!(daily["description"], "Every day at 07:30");
    assert_eq!(daily["rrule"], "FREQ=DAILY;BYHOUR=7;BYMINUTE=30");
    assert_eq!(daily["today"], true);

    // Chosen days from the page's checkboxes, several fields of one name.
    let token = ana.token().await;
    let r = ana
        .post_raw(
            "/together/rituals",
            &[
                ("name", "An evening walk"),
                ("repeats", "days"),
                ("days", "th"),
                ("days", "mo"),
                ("weekday", "su"),
                ("time", "19:00"),
                ("note", ""),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = b
        .post(
            "/api/v1/rituals",
            json!({"name": "Our Sunday check-in talk", "repeats": "weekly", "weekday": "su", "time": "18:00"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let v = together(&b).await;
    let rituals = v["rituals"].as_array().unwrap();
    assert_eq!(rituals.len(), 3);
    assert_eq!(
        rituals[1]["description"],
        "On Mondays and Thursdays at 19:00"
    );
    assert_eq!(
        rituals[1]["rrule"],
        "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=19;BYMINUTE=0"
    );
    assert_eq!(rituals[1]["added_by"], "partner");
    assert_eq!(rituals[2]["description"], "Every Sunday at 18:00");

    // Today's rituals remind gently, here and at home; the store lists all
    // of them for a calendar feed.
    for path in ["/", "/together"] {
        let (_, page) = ana.page(path).await;
        assert!(page.contains("Today, if you both feel like it"), "{path}");
        assert!(page.contains("07:30"), "{path}");
        assert!(!page.to_lowercase().contains("streak"), "{path}");
    }
    let couple = app
        .state
        .store
        .membership(user_id(&b).await)
        .await
        .unwrap()
        .unwrap()
        .couple;
    let stored = app.state.store.rituals(couple).await.unwrap();
    assert_eq!(
        stored
            .iter()
            .map(|r| r.ritual.recurrence.rrule())
            .collect::<Vec<_>>(),
        [
            "FREQ=DAILY;BYHOUR=7;BYMINUTE=30",
            "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=19;BYMINUTE=0",
            "FREQ=WEEKLY;BYDAY=SU;BYHOUR=18;BYMINUTE=0"
        ]
    );
}

async fn appreciations_are_read_by_the_coach_and_seen_by_both(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (a, b) = (ana.api_as("ana").await, ben.api_as("ben").await);

    let r = a
        .post(
            "/api/v1/appreciations",
            json!({"text": "Thank you for making tea this morning."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sent"], true);
    assert!(v["analysis"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["kind"] == "appreciation" && f["severity"] == "affirm"));

    // A draft with a concern is shown its findings first; the author decides.
    let harsh = "Thanks, I guess. You never do this.";
    let r = a
        .post("/api/v1/appreciations", json!({ "text": harsh }))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sent"], false);
    assert_eq!(v["analysis"]["concern"], true);
    assert_eq!(
        together(&b).await["received"].as_array().unwrap().len(),
        1,
        "nothing sent"
    );
    let r = ana
        .post("/together/appreciations", &[("text", harsh)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("The coach has a concern"));
    assert!(page.contains("Send it as it is"));
    assert!(page.contains("You never do this."), "the words are kept");
    let r = ana
        .post(
            "/together/appreciations",
            &[("text", harsh), ("send_anyway", "yes")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Ben receives both; Ana sees them as sent.
    let v = together(&b).await;
    let received: Vec<&str> = v["received"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["text"].as_str().unwrap())
        .collect();
    assert_eq!(received, [harsh, "Thank you for making tea this morning."]);
    assert_eq!(v["sent"], json!([]));
    assert_eq!(together(&a).await["sent"].as_array().unwrap().len(), 2);
    let (_, page) = ben.page("/together").await;
    assert!(page.contains("From ana") && page.contains("Thank you for making tea this morning."));
}

async fn good_moments_are_kept_newest_first(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (a, b) = (ana.api_as("ana").await, ben.api_as("ben").await);
    for (api, day, text) in [
        (&a, "2026-03-02", "Laughing at the burnt pancakes"),
        (&b, "2026-05-09", "Dancing in the kitchen"),
        (&a, "2026-04-01", "The long walk by the river"),
    ] {
        let r = api
            .post("/api/v1/moments", json!({ "day": day, "text": text }))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let r = ben
        .post(
            "/together/moments",
            &[("day", ""), ("text", "Breakfast in bed")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the day defaults to today"
    );
    let v = together(&a).await;
    let texts: Vec<&str> = v["moments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Breakfast in bed",
            "Dancing in the kitchen",
            "The long walk by the river",
            "Laughing at the burnt pancakes"
        ]
    );
    assert_eq!(v["moments"][1]["added_by"], "partner");
    assert_eq!(v["moments"][0]["day"], v["today"]);
    let (_, page) = ben.page("/together").await;
    let dance = page.find("Dancing in the kitchen").unwrap();
    let walk = page.find("The long walk by the river").unwrap();
    assert!(dance < walk, "newest first on the page too");
    assert!(page.contains("Saturday 9 May 2026"));
}

async fn the_timeline_can_read_what_was_done_in_a_span_of_time(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (a, b) = (ana.api_as("ana").await, ben.api_as("ben").await);
    let g = goal(&a, "Cook together again").await["id"]
        .as_i64()
        .unwrap();
    let done = step(&a, g, "Choose a recipe").await;
    let undone = step(&b, g, "Buy the spices").await;
    tick(&b, done, json!(true)).await;
    tick(&a, undone, json!(true)).await;
    tick(&a, undone, json!(false)).await;
    a.post(
        "/api/v1/appreciations",
        json!({"text": "Thank you for dinner."}),
    )
    .await;
    a.post(
        "/api/v1/moments",
        json!({"day": "2026-01-15", "text": "Snow day together"}),
    )
    .await;
    let rested = {
        let r = a
            .post(
                "/api/v1/incidents",
                json!({"name": "The cold week", "share": true}),
            )
            .await;
        let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        a.post(&format!("/api/v1/incidents/{id}/ready"), json!({}))
            .await;
        b.post(&format!("/api/v1/incidents/{id}/ready"), json!({}))
            .await;
        id
    };

    let store = &app.state.store;
    let couple = store
        .membership(user_id(&a).await)
        .await
        .unwrap()
        .unwrap()
        .couple;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let (from, to) = (now - 3600, now + 3600);
    let steps = store.steps_done_between(couple, from, to).await.unwrap();
    assert_eq!(steps.len(), 1, "un-ticked steps are not done");
    assert_eq!(
        (steps[0].step.as_str(), steps[0].goal.as_str()),
        ("Choose a recipe", "Cook together again")
    );
    assert_eq!(steps[0].by, user_id(&b).await);
    assert!(store
        .steps_done_between(couple, now + 3600, now + 7200)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .appreciations_between(couple, from, to)
            .await
            .unwrap()
            .len(),
        1
    );
    let day = |s| {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
    };
    assert_eq!(
        store
            .good_moments_between(couple, day("2026-01-01"), day("2026-01-31"))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(store
        .good_moments_between(couple, day("2026-02-01"), day("2026-02-28"))
        .await
        .unwrap()
        .is_empty());
    let at_rest = store.laid_to_rest_between(couple, from, to).await.unwrap();
    assert_eq!(at_rest.iter().map(|i| i.id).collect::<Vec<_>>(), [rested]);

    // Another couple's span holds nothing of theirs.
    let (cy, _) = app.couple("cyd", "dee").await;
    let other = store
        .membership(user_id(&cy.api_as("cyd").await).await)
        .await
        .unwrap()
        .unwrap()
        .couple;
    assert!(store
        .steps_done_between(other, from, to)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .appreciations_between(other, from, to)
        .await
        .unwrap()
        .is_empty());
}

async fn forged_requests_fail_clearly(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let a = ana.api_as("ana").await;
    let (cy, _) = app.couple("cyd", "dee").await;
    let c = cy.api_as("cyd").await;
    let g = goal(&a, "Our goal").await["id"].as_i64().unwrap();
    let s = step(&a, g, "Our step").await;

    // Another couple's goal and step are not theirs to touch.
    let (status, body) = tick(&c, s, json!(true)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("not yours to see"));
    let r = c
        .post(
            &format!("/api/v1/goals/{g}/steps"),
            json!({"text": "Sneaky"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = cy
        .post(&format!("/together/steps/{s}/tick"), &[("done", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = cy
        .post(&format!("/together/goals/{g}/steps"), &[("text", "Sneaky")])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let v = together(&a).await;
    assert_eq!(v["goals"][0]["steps"].as_array().unwrap().len(), 1);
    assert_eq!(v["goals"][0]["steps"][0]["done"], false);
    assert!(!together(&c).await.to_string().contains("Our goal"));

    // Without the form's token, or logged out, nothing happens.
    let r = ben
        .post_raw(&format!("/together/steps/{s}/tick"), &[("done", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(together(&a).await["goals"][0]["steps"][0]["done"], false);
    let (status, _) = tick(&app.api(), s, json!(true)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let r = app.browser().get("/together").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // A tick that says neither yes nor no, an id that is not one.
    let (status, body) = tick(&a, s, json!("maybe")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "done");
    let r = a
        .post("/api/v1/steps/nine/tick", json!({"done": true}))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // Alone, before the partner joins, the tools wait for both.
    let solo = app.founder("eve", "hurt").await;
    let r = solo
        .api_as("eve")
        .await
        .post("/api/v1/goals", json!({"title": "x"}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (status, page) = solo.page("/together").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("invite your partner first"));
}

async fn bad_input_is_explained_and_nothing_typed_is_lost(app: TestApp) {
    let (ana, _ben) = app.couple("ana", "ben").await;
    let a = ana.api_as("ana").await;
    let fields = |v: &Value| -> Vec<String> {
        v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_owned())
            .collect()
    };
    let post = |path: &'static str, body: Value| {
        let a = &a;
        async move {
            let r = a.post(path, body).await;
            let status = r.status();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, v) = post("/api/v1/goals", json!({"title": ""})).await;
    assert_eq!(
        (status, fields(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["title".to_owned()])
    );
    let (_, v) = post("/api/v1/goals", json!({"title": "x".repeat(201)})).await;
    assert!(v["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("201 characters"));
    let (_, v) = post(
        "/api/v1/rituals",
        json!({"name": "Walk", "repeats": "days", "days": [], "time": "25:00"}),
    )
    .await;
    assert_eq!(fields(&v), ["time", "days"]);
    let (_, v) = post(
        "/api/v1/rituals",
        json!({"name": "Walk", "repeats": "weekly", "weekday": "someday", "time": "10:00"}),
    )
    .await;
    assert_eq!(fields(&v), ["weekday"]);
    let (status, _) = post("/api/v1/rituals", json!({"name": "Walk", "days": "mo"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "days is a list");
    let (_, v) = post(
        "/api/v1/moments",
        json!({"day": "2999-01-01", "text": "Tomorrow's tomorrow"}),
    )
    .await;
    assert_eq!(fields(&v), ["day"]);
    let (_, v) = post("/api/v1/appreciations", json!({"text": "   "})).await;
    assert_eq!(fields(&v), ["text"]);
    let (_, v) = post("/api/v1/appreciations", json!({"text": "é".repeat(1001)})).await;
    assert_eq!(fields(&v), ["text"]);

    // Odd Unicode is kept exactly.
    let odd = "Ле́то \u{202e}שלום\u{202c} 👩‍❤️‍👨 e\u{301}";
    let (status, v) = post("/api/v1/goals", json!({ "title": odd })).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(v["title"], odd);

    // Page forms come back with what was typed and where it went wrong.
    let r = ana
        .post(
            "/together/moments",
            &[("day", "not a day"), ("text", "The picnic in the rain")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("The picnic in the rain") && page.contains("year-month-day"));
    let token = ana.token().await;
    let r = ana
        .post_raw(
            "/together/rituals",
            &[
                ("name", "Tea at four"),
                ("repeats", "days"),
                ("time", "16:00"),
                ("note", "Our pause."),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Tea at four")
            && page.contains("Our pause.")
            && page.contains("at least one day")
    );
    let r = ana.post("/together/goals/1/steps", &[("text", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        together(&a).await["rituals"],
        json!([]),
        "nothing half-saved"
    );
}
