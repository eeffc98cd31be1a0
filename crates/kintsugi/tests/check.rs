//! `kintsugi check` as a person or a script uses it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn check(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kintsugi"))
        .arg("check")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kintsugi runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("kintsugi finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 output")
}

#[test]
fn a_concern_is_marked_in_place_and_exits_one() {
    let o = check(&["You never listen to me."], "");
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("warning[criticism]"), "{out}");
    assert!(out.contains("^^^^^^^^^"), "the span is underlined: {out}");
    assert!(
        out.contains("help:"),
        "a gentler alternative is offered: {out}"
    );
}

#[test]
fn a_gentle_text_from_stdin_exits_zero() {
    let o = check(
        &[],
        "I felt lonely last night. Could we have dinner together on Friday?\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("Nothing here is likely to hurt."));
}

#[test]
fn json_has_the_contract_fields_and_apology_parts() {
    let o = check(
        &[
            "--context",
            "apology",
            "--format",
            "json",
            "I lied to you. How can I make it right?",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["context"], "apology");
    assert_eq!(v["concern"], false);
    let kinds: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"acknowledgment") && kinds.contains(&"repair"),
        "{kinds:?}"
    );
    let missing: Vec<&str> = v["parts"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(
        missing.last(),
        Some(&"forgiveness_request"),
        "forgiveness matters least and comes last: {missing:?}"
    );
    let f = &v["findings"][0];
    for field in ["kind", "severity", "start", "end", "reason"] {
        assert!(!f[field].is_null(), "finding has {field}");
    }
}

#[test]
fn jsonl_answers_every_line_in_order() {
    let input = "you are pathetic\n{\"text\":\"I was wrong\",\"context\":\"responsibility\"}\n\nnot json {\n{\"text\": 5}\n";
    let o = check(&["--jsonl"], input);
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is json"))
        .collect();
    assert_eq!(lines.len(), 5, "one line out per line in");
    assert_eq!(lines[0]["concern"], true);
    assert_eq!(lines[1]["context"], "responsibility");
    assert_eq!(
        lines[2]["findings"].as_array().map(Vec::len),
        Some(0),
        "an empty line is an empty text"
    );
    assert_eq!(
        lines[3]["concern"], false,
        "a line that is not an object is plain text"
    );
    assert_eq!(lines[4]["line"], 5);
    assert!(lines[4]["error"].as_str().unwrap().contains("invalid type"));
    assert_eq!(o.status.code(), Some(2), "a bad line makes the run exit 2");
}

#[test]
fn bad_usage_exits_two() {
    assert_eq!(
        check(&["--context", "sonnet", "hi"], "").status.code(),
        Some(2)
    );
    assert_eq!(check(&["--jsonl", "some text"], "").status.code(), Some(2));
    assert_eq!(check(&["--format", "xml", "hi"], "").status.code(), Some(2));
}

#[test]
fn a_text_that_is_not_english_is_said_to_be_so() {
    let o = check(
        &["Je ne sais pas pourquoi tu es toujours comme ça avec moi"],
        "",
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("does not look like English"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn laid_to_rest_incidents_are_noted() {
    let o = check(
        &[
            "--format",
            "json",
            "--laid-to-rest",
            "the Lisbon trip",
            "This is just like the Lisbon trip all over again",
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "reopening"),
        "{v}"
    );
}
