//! How fast the coach reads: a typical ~200-byte message, every text of
//! the labelled corpus, and long text for throughput.
//!
//! ```text
//! cargo bench -p kintsugi-coach
//! ```

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kintsugi_coach::{analyse, Context, Options};
use std::hint::black_box;

const MESSAGE: &str = "I know you were tired last night, and I'm grateful you cooked. \
    But when you said whatever and walked off, I felt shut out. You never tell me what's going on. \
    Could we talk tonight after the kids are asleep? 🙂";

fn corpus() -> Vec<(Context, String)> {
    let data = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/corpus.tsv"))
        .unwrap_or_default();
    data.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.splitn(4, '\t').collect();
            Some((f.get(1)?.parse().ok()?, f.get(3)?.to_string()))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let options = Options::default();
    analyse("warm up", &options); // the rules compile once, on first use

    let mut g = c.benchmark_group("message");
    g.throughput(Throughput::Bytes(MESSAGE.len() as u64));
    g.bench_function(
        BenchmarkId::new("analyse", format!("{}B", MESSAGE.len())),
        |b| b.iter(|| analyse(black_box(MESSAGE), &options)),
    );
    g.finish();

    let corpus = corpus();
    if !corpus.is_empty() {
        let bytes: usize = corpus.iter().map(|(_, t)| t.len()).sum();
        let options: Vec<Options> = corpus
            .iter()
            .map(|(c, _)| Options::for_context(*c))
            .collect();
        let mut g = c.benchmark_group("corpus");
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function(BenchmarkId::new("every_text", corpus.len()), |b| {
            b.iter(|| {
                for ((_, text), o) in corpus.iter().zip(&options) {
                    black_box(analyse(black_box(text), o));
                }
            })
        });
        g.finish();
    }

    let mut long = String::new();
    let sources: Vec<String> = if corpus.is_empty() {
        vec![MESSAGE.to_owned()]
    } else {
        corpus.into_iter().map(|(_, t)| t).collect()
    };
    while long.len() < 100_000 {
        for t in &sources {
            long.push_str(t);
            long.push(' ');
        }
    }
    let mut g = c.benchmark_group("long_text");
    g.throughput(Throughput::Bytes(long.len() as u64));
    g.bench_function(
        BenchmarkId::new("analyse", format!("{}KB", long.len() / 1000)),
        |b| b.iter(|| analyse(black_box(&long), &Options::default())),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
