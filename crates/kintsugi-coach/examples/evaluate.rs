//! How well the coach does on its labelled corpus.
//!
//! ```text
//! cargo run --release -p kintsugi-coach --example evaluate [-- --split dev|heldout|all] [--errors]
//! ```
//!
//! The corpus (`corpus/corpus.tsv`, described in `corpus/README.md`) holds
//! texts labelled with every kind they express. For each kind this prints
//! precision and recall over the texts; for the gentle texts — those
//! labelled with no concern — how often the coach raised one anyway. The
//! `heldout` split is for measuring only: rules are tuned on `dev`.

use kintsugi_coach::{analyse, Context, Kind, Options, Severity};
use std::collections::{BTreeMap, BTreeSet};

struct Example {
    split: String,
    context: Context,
    labels: BTreeSet<Kind>,
    text: String,
    line: usize,
}

fn load() -> Result<Vec<Example>, String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/corpus.tsv");
    let data = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in data.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.splitn(4, '\t').collect();
        let [split, context, labels, text] = f[..] else {
            return Err(format!("line {}: expected 4 tab-separated fields", i + 1));
        };
        let labels = if labels == "-" {
            BTreeSet::new()
        } else {
            labels
                .split(',')
                .map(|l| l.trim().parse())
                .collect::<Result<_, _>>()
                .map_err(|e| format!("line {}: {e}", i + 1))?
        };
        out.push(Example {
            split: split.to_owned(),
            context: context
                .parse()
                .map_err(|e| format!("line {}: {e}", i + 1))?,
            labels,
            text: text.to_owned(),
            line: i + 1,
        });
    }
    Ok(out)
}

#[derive(Default)]
struct Count {
    tp: u32,
    fp: u32,
    fn_: u32,
}

fn ratio(a: u32, b: u32) -> String {
    if b == 0 {
        "   –  ".into()
    } else {
        format!("{:6.3}", a as f64 / b as f64)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split = args
        .iter()
        .position(|a| a == "--split")
        .and_then(|i| args.get(i + 1))
        .map_or("all", |s| s.as_str());
    let errors = args.iter().any(|a| a == "--errors");
    let corpus = match load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("evaluate: {e}");
            std::process::exit(2);
        }
    };
    let chosen: Vec<&Example> = corpus
        .iter()
        .filter(|e| split == "all" || e.split == split)
        .collect();
    let mut counts: BTreeMap<Kind, Count> =
        Kind::ALL.iter().map(|&k| (k, Count::default())).collect();
    let (mut gentle, mut alarms) = (0u32, 0u32);
    for ex in &chosen {
        let a = analyse(&ex.text, &Options::for_context(ex.context));
        let found: BTreeSet<Kind> = a.findings.iter().map(|f| f.kind).collect();
        for &k in &Kind::ALL {
            let c = counts.get_mut(&k).expect("every kind counted");
            match (ex.labels.contains(&k), found.contains(&k)) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                _ => {}
            }
        }
        let is_gentle = !ex.labels.iter().any(|k| k.is_concern());
        let alarm = a.findings.iter().any(|f| f.severity == Severity::Concern);
        if is_gentle {
            gentle += 1;
            alarms += alarm as u32;
        }
        if errors && found != ex.labels {
            let missed: Vec<_> = ex.labels.difference(&found).map(|k| k.id()).collect();
            let extra: Vec<_> = found.difference(&ex.labels).map(|k| k.id()).collect();
            println!(
                "line {} [{}] missed {missed:?} extra {extra:?}: {}",
                ex.line, ex.context, ex.text
            );
        }
    }
    println!(
        "The coach on its labelled corpus: split {split}, {} texts\n",
        chosen.len()
    );
    println!(
        "{:<22} {:>5} {:>5} {:>5}  {:>9} {:>6}",
        "kind", "tp", "fp", "fn", "precision", "recall"
    );
    let (mut ctp, mut cfp, mut cfn) = (0, 0, 0);
    for (k, c) in &counts {
        if c.tp + c.fp + c.fn_ == 0 {
            continue;
        }
        if k.is_concern() {
            ctp += c.tp;
            cfp += c.fp;
            cfn += c.fn_;
        }
        println!(
            "{:<22} {:>5} {:>5} {:>5}  {:>9} {:>6}",
            k.id(),
            c.tp,
            c.fp,
            c.fn_,
            ratio(c.tp, c.tp + c.fp),
            ratio(c.tp, c.tp + c.fn_)
        );
    }
    println!(
        "{:<22} {:>5} {:>5} {:>5}  {:>9} {:>6}",
        "all concerns (micro)",
        ctp,
        cfp,
        cfn,
        ratio(ctp, ctp + cfp),
        ratio(ctp, ctp + cfn)
    );
    println!(
        "\ngentle texts: {gentle}, raised a concern: {alarms}, false-alarm rate {}",
        ratio(alarms, gentle)
    );
}
