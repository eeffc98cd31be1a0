//! A person's copy of everything they can see: the export.
//!
//! The couple owns its data (DESIGN.md, principle 6). An export is a
//! document made of sections, one a kind of record, filled by the store
//! with exactly the rows the person may read — their own, private or not,
//! and what is shared between the partners, never the partner's private
//! records. This module is the document and its three renderings:
//!
//! - JSON, versioned by [`FORMAT_VERSION`] and described in
//!   `docs/export-format.md`, for programs;
//! - a self-contained HTML page (inline styles, no scripts, no requests,
//!   made to print), and Markdown, for people.
//!
//! Everything is pure: the time of the export is passed in, and rendering is
//! string building with every stored word escaped.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// The version of the JSON layout. A new version is made when a field
/// changes meaning or disappears; adding a section or a column is not a new
/// version, so readers should ignore what they do not know.
pub const FORMAT_VERSION: u32 = 1;

/// The name of the format, so a file explains itself.
pub const FORMAT: &str = "kintsugi-export";

/// How a person appears in an export: who they are to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    You,
    Partner,
    /// A partner who left the couple or deleted their account: their shared
    /// records stay, under this name.
    FormerPartner,
}

/// One person named in the export's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: i64,
    pub relation: Relation,
    /// The username, except for a former partner, who is only "former partner".
    pub name: String,
}

impl Person {
    /// What a person reading the export sees for them.
    pub fn label(&self) -> String {
        match self.relation {
            Relation::You => format!("you ({})", self.name),
            Relation::Partner => format!("your partner ({})", self.name),
            Relation::FormerPartner => "former partner".to_owned(),
        }
    }
}

/// The name a former partner goes by, everywhere.
pub const FORMER_PARTNER: &str = "former partner";

/// A stored value, as the database held it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

/// One record: its columns in the order the store gave them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record(pub Vec<(String, Value)>);

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Record {
    pub fn get(&self, column: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == column).map(|(_, v)| v)
    }
}

/// All the records of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The table the records come from, as stored.
    pub table: String,
    /// A heading a person understands.
    pub title: String,
    /// Columns whose value is a person's id (see `people`).
    pub person_columns: Vec<String>,
    pub records: Vec<Record>,
}

/// The whole export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Export {
    pub format: &'static str,
    pub format_version: u32,
    /// Unix seconds.
    pub exported_at: i64,
    /// Whose export this is.
    pub person: Person,
    /// Everyone the records name, the reader first.
    pub people: Vec<Person>,
    pub sections: Vec<Section>,
}

/// The three ways to download an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
    Markdown,
}

impl Format {
    /// Accepts `json`, `html` and `markdown` (or `md`).
    pub fn parse(raw: &str) -> Result<Self, crate::Invalid> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "json" => Ok(Self::Json),
            "html" => Ok(Self::Html),
            "markdown" | "md" => Ok(Self::Markdown),
            _ => Err(crate::Invalid::new(
                "format",
                "Choose json, html or markdown for the copy of your data.",
            )),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Html => "html",
            Self::Markdown => "md",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Html => "text/html; charset=utf-8",
            Self::Markdown => "text/markdown; charset=utf-8",
        }
    }
}

impl Export {
    /// A file name that says what it is and when it was made, safe in a
    /// `Content-Disposition` header: `kintsugi-ana-2026-11-30.json`.
    pub fn file_name(&self, format: Format) -> String {
        let name: String = self
            .person
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let day = date_time(self.exported_at)
            .map(|d| d[..10].to_owned())
            .unwrap_or_else(|| "export".to_owned());
        format!("kintsugi-{name}-{day}.{}", format.extension())
    }

    fn person(&self, id: i64) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    /// A value as a person reads it: names for people, dates for times.
    fn readable(&self, section: &Section, column: &str, value: &Value) -> String {
        match value {
            Value::Null => "—".to_owned(),
            Value::Integer(id) if section.person_columns.iter().any(|c| c == column) => self
                .person(*id)
                .map(Person::label)
                .unwrap_or_else(|| FORMER_PARTNER.to_owned()),
            Value::Integer(t) if column.ends_with("_at") || column == "since" => {
                date_time(*t).unwrap_or_else(|| t.to_string())
            }
            Value::Integer(n) => n.to_string(),
            Value::Real(x) => x.to_string(),
            Value::Text(s) => s.clone(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an export always serialises")
    }

    /// Markdown, for reading anywhere. Stored words are kept as written,
    /// with Markdown's own marks escaped so they read as typed.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "# Kintsugi: everything {} can see\n\n",
            md(&self.person.name)
        ));
        out.push_str(&format!(
            "Exported on {}. Format {FORMAT} version {FORMAT_VERSION}.\n\n",
            date_time(self.exported_at).unwrap_or_default()
        ));
        out.push_str(INTRO);
        out.push_str("\n\n## People\n\n");
        for p in &self.people {
            out.push_str(&format!("- {}\n", md(&p.label())));
        }
        for section in &self.sections {
            out.push_str(&format!("\n## {}\n\n", md(&section.title)));
            if section.records.is_empty() {
                out.push_str("Nothing here.\n");
            }
            for (i, record) in section.records.iter().enumerate() {
                out.push_str(&format!("### {} {}\n\n", md(&section.title), i + 1));
                for (column, value) in &record.0 {
                    let text = self.readable(section, column, value);
                    out.push_str(&format!(
                        "- **{}**: {}\n",
                        label(column),
                        md(&text).replace('\n', "\n  ")
                    ));
                }
                out.push('\n');
            }
        }
        out
    }

    /// One self-contained HTML page: its styles inline, no script, no
    /// image, no link that loads anything, so it opens offline and prints.
    pub fn to_html(&self) -> String {
        let mut out = String::new();
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.push_str(&format!(
            "<title>Kintsugi — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
            html(&self.person.name)
        ));
        out.push_str(&format!(
            "<h1>Everything {} can see in Kintsugi</h1>\n",
            html(&self.person.name)
        ));
        out.push_str(&format!(
            "<p class=\"meta\">Exported on {}. Format {FORMAT} version {FORMAT_VERSION}.</p>\n<p>{}</p>\n",
            date_time(self.exported_at).unwrap_or_default(),
            html(INTRO)
        ));
        out.push_str("<nav aria-label=\"Contents\"><h2>Contents</h2><ul>\n");
        for section in &self.sections {
            out.push_str(&format!(
                "<li><a href=\"#{}\">{}</a> ({})</li>\n",
                html(&section.table),
                html(&section.title),
                section.records.len()
            ));
        }
        out.push_str("</ul></nav>\n<section><h2>People</h2><ul>\n");
        for p in &self.people {
            out.push_str(&format!("<li>{}</li>\n", html(&p.label())));
        }
        out.push_str("</ul></section>\n");
        for section in &self.sections {
            out.push_str(&format!(
                "<section id=\"{}\">\n<h2>{}</h2>\n",
                html(&section.table),
                html(&section.title)
            ));
            if section.records.is_empty() {
                out.push_str("<p class=\"meta\">Nothing here.</p>\n");
            }
            for record in &section.records {
                out.push_str("<dl class=\"record\">\n");
                for (column, value) in &record.0 {
                    let text = self.readable(section, column, value);
                    out.push_str(&format!(
                        "<dt>{}</dt><dd>{}</dd>\n",
                        html(&label(column)),
                        html(&text).replace('\n', "<br>")
                    ));
                }
                out.push_str("</dl>\n");
            }
            out.push_str("</section>\n");
        }
        out.push_str("</main>\n</body>\n</html>\n");
        out
    }
}

const INTRO: &str = "This is your copy of what you can see in Kintsugi: everything you wrote, private or shared, and everything your partner chose to share with you. What your partner kept private is not here, as it is not on any page. Keep this file somewhere safe: it holds private words.";

const STYLE: &str = "body{font:16px/1.5 Georgia,'Times New Roman',serif;color:#2b2420;background:#fffdf8;margin:0}\
main{max-width:46rem;margin:0 auto;padding:1rem}\
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:2px solid #c9a227;padding-bottom:.2rem;margin-top:2rem}\
.meta{color:#5c534c}\
dl.record{border:1px solid #e4dccf;border-radius:6px;padding:.5rem .75rem;margin:.75rem 0;display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.2rem .75rem;break-inside:avoid}\
dt{font-weight:bold}dd{margin:0;overflow-wrap:anywhere;white-space:normal}\
@media (max-width:30rem){dl.record{grid-template-columns:1fr}}\
@media print{body{background:#fff;font-size:11pt}nav{display:none}h2{break-after:avoid}a{color:inherit;text-decoration:none}}";

/// A column name as a label: `occurred_at` → `Occurred at`.
fn label(column: &str) -> String {
    let spaced = column.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Unix seconds as `2026-11-30 14:05 UTC`.
fn date_time(unix: i64) -> Option<String> {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()?
        .format(f)
        .ok()
}

/// Escapes text for HTML content and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes Markdown's marks, so stored words read as they were typed and
/// never become links, images or raw HTML.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '+'
                | '-'
                | '!'
                | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What leaving a couple, or deleting an account, does to a person's
/// records. Both end the person's part in the couple the same way; deleting
/// also erases what belongs to the person alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// Leaves the couple, keeping the account (and its journal and safety
    /// checks, which never belonged to the couple).
    Leave,
    /// Deletes the account: everything of the person's is erased, and they
    /// leave their couple.
    DeleteAccount,
}

/// Where the person stands when they go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In no couple.
    NoCouple,
    /// In a space no partner has joined (or every partner has left).
    Alone,
    WithPartner,
}

impl Departure {
    /// What will happen, said before the person confirms, in order.
    pub fn consequences(self, place: Place) -> Vec<&'static str> {
        let mut out = Vec::new();
        if place != Place::NoCouple {
            out.push("What you kept private in your couple's space is erased for good: private check-ins, unshared reflection answers, drafts of statements and apologies, and your private tally of messages.");
        }
        if place == Place::WithPartner {
            out.push("What you shared stays with your partner, so their history keeps its shape: shared check-ins, reflections, statements, messages, conversations, the agreement and the transparency log. Your name is taken off it: everywhere it appeared, your partner now sees “former partner”.");
            out.push("The transparency log keeps every entry, so it still verifies: a log that lost an entry would look tampered with.");
        } else if place == Place::Alone {
            out.push("No partner is with you in your space, so the whole space is erased.");
        }
        match self {
            Self::Leave => {
                out.push("Your account stays. Your feelings journal and your safety checks are yours, not the couple's, so they stay with you.");
                out.push("Afterwards you can start a new space or join another one.");
            }
            Self::DeleteAccount => {
                out.push("Your account is deleted, with what was yours alone: your feelings journal and your safety checks. Every device you are logged in on is logged out.");
                out.push("Your username becomes free again: someone could choose it later. Your former partner never sees it, so it cannot be mistaken for you.");
            }
        }
        if place == Place::WithPartner {
            out.push(
                "When both partners have gone, everything left in the space is erased for good.",
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export() -> Export {
        Export {
            format: FORMAT,
            format_version: FORMAT_VERSION,
            exported_at: 1_790_000_000,
            person: Person {
                id: 1,
                relation: Relation::You,
                name: "ana".into(),
            },
            people: vec![
                Person {
                    id: 1,
                    relation: Relation::You,
                    name: "ana".into(),
                },
                Person {
                    id: 9,
                    relation: Relation::FormerPartner,
                    name: FORMER_PARTNER.into(),
                },
            ],
            sections: vec![Section {
                table: "messages".into(),
                title: "Messages".into(),
                person_columns: vec!["user_id".into()],
                records: vec![
                    Record(vec![
                        ("user_id".into(), Value::Integer(9)),
                        (
                            "text".into(),
                            Value::Text("<script>alert(1)</script> [x](http://e) & more".into()),
                        ),
                        ("created_at".into(), Value::Integer(1_790_000_000)),
                        ("note".into(), Value::Null),
                    ]),
                    Record(vec![("user_id".into(), Value::Integer(1))]),
                ],
            }],
        }
    }

    #[test]
    fn json_carries_the_version_and_keeps_column_order() {
        let json = export().to_json();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["format"], "kintsugi-export");
        assert_eq!(v["format_version"], 1);
        assert_eq!(v["people"][1]["relation"], "former_partner");
        assert_eq!(v["sections"][0]["records"][0]["user_id"], 9);
        assert_eq!(
            v["sections"][0]["records"][0]["note"],
            serde_json::Value::Null
        );
        let text = json.find("\"text\"").unwrap();
        assert!(json.find("\"user_id\": 9").unwrap() < text);
        assert!(text < json.find("\"created_at\"").unwrap());
    }

    #[test]
    fn html_is_escaped_self_contained_and_names_people() {
        let page = export().to_html();
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.contains("<script"));
        assert!(!page.contains("src="));
        assert!(!page.contains("<link"));
        assert!(page.contains("<dd>former partner</dd>"));
        assert!(page.contains("<dd>you (ana)</dd>"));
        assert!(page.contains("@media print"));
        assert!(page.contains("<dd>2026-09-21 14:13 UTC</dd>"));
    }

    #[test]
    fn markdown_escapes_marks_so_words_stay_words() {
        let text = export().to_markdown();
        assert!(text.contains("\\[x\\]\\(http://e\\)"));
        assert!(text.contains("\\<script\\>"));
        assert!(text.contains("- **User id**: former partner"));
        assert!(text.contains("- **Note**: —"));
    }

    #[test]
    fn file_names_are_safe_and_dated() {
        let mut e = export();
        assert_eq!(e.file_name(Format::Json), "kintsugi-ana-2026-09-21.json");
        e.person.name = "a\"b\r\nc/ü".into();
        let name = e.file_name(Format::Markdown);
        assert_eq!(name, "kintsugi-a-b--c---2026-09-21.md");
    }

    #[test]
    fn formats_parse_with_clear_refusals() {
        assert_eq!(Format::parse("HTML").unwrap(), Format::Html);
        assert_eq!(Format::parse("md").unwrap(), Format::Markdown);
        assert_eq!(Format::parse("").unwrap(), Format::Json);
        assert_eq!(Format::parse("pdf").unwrap_err().field, "format");
    }

    #[test]
    fn departures_say_what_happens_before_it_does() {
        let leave = Departure::Leave.consequences(Place::WithPartner);
        assert!(leave.iter().any(|l| l.contains("former partner")));
        assert!(leave
            .iter()
            .any(|l| l.contains("journal") && l.contains("stay with you")));
        let delete = Departure::DeleteAccount.consequences(Place::WithPartner);
        assert!(delete.iter().any(|l| l.contains("username becomes free")));
        assert!(delete.iter().any(|l| l.contains("logged out")));
        let alone = Departure::Leave.consequences(Place::Alone);
        assert!(alone.iter().any(|l| l.contains("whole space is erased")));
        assert!(!alone.iter().any(|l| l.contains("former partner")));
        let solo = Departure::DeleteAccount.consequences(Place::NoCouple);
        assert!(!solo.iter().any(|l| l.contains("space")));
        assert!(solo.iter().any(|l| l.contains("account is deleted")));
    }
}
