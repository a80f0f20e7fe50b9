//! `just train-summary`: fits the extractive summarizer's model and says how well it
//! generalises.
//!
//! The development filings with key facts (`gold/dev-facts.jsonl` of the corpus at
//! `$TENK_CORPUS` or `../shared/corpus`) are read as users get them: the filing's Item 1
//! is found and cut into sentences with their features. A sentence is a positive for an
//! aspect when it contains a match string of one of that aspect's facts; a name or figure of
//! the section is key when a match string is it or holds it. The labelled sentences and
//! concepts (features and labels, no text) are written to `data/summary-training.csv` and
//! `data/concept-training.csv`, the model fitted to all of them to
//! `src/summarize/model.json`.
//!
//! It prints the fact recall of the summaries in-sample and under 5-fold cross-validation
//! by filing (fit on four fifths of the filings, summarize the fifth left out): only the
//! latter says how the summarizer does on filings it has not seen.
//!
//! It also prints what selection reaches when given the labels themselves instead of the
//! model's chances: the gap between that and the cross-validated figure is the model's.
//!
//! Selection's length penalty (`Model::length_power`), the value of a key concept
//! (`Model::concept_value`) and the weight of repeated names (`Model::repeated_names`) are
//! chosen here too: each pair of `LENGTH_POWERS` and `CONCEPT_VALUES` is cross-validated
//! over `SWEEP_PARTITIONS` partitions with the middle of `REPEATED_NAMES`, then each of
//! `REPEATED_NAMES` with the best pair, and the best mean wins (the figures printed for it
//! are therefore slightly optimistic).
//!
//! `--check` fits and scores with the shipped model's choices but writes nothing (the
//! cross-validated figure for `just eval-summary`); `--repeats N` cross-validates over N
//! partitions of the filings and prints their mean, to tell a change from the luck of one
//! partition; `--dump DIR` writes each filing's sentences with their cross-validated
//! chances, labels and whether the summary chose them (JSON lines), to read the misses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use tenk::document::TableMode;
use tenk::summarize::extractive::Extractive;
use tenk::summarize::features::{section, Aspect, ASPECTS, CONCEPT_FEATURES, FEATURES};
use tenk::summarize::model::{
    ConceptSample, Model, Sample, CONCEPT_VALUES, LENGTH_POWERS, REPEATED_NAMES,
};
use tenk::summarize::tokens::Tokenizer;
use tenk::summarize::Summarizer;

const FOLDS: usize = 5;
const MAX_TOKENS: usize = 512;
/// Partitions each length penalty is cross-validated over.
const SWEEP_PARTITIONS: usize = 8;

#[derive(Deserialize)]
struct Filing {
    doc_id: String,
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
struct Fact {
    aspect: String,
    any: Vec<String>,
    #[serde(default = "one")]
    weight: f64,
}

fn one() -> f64 {
    1.0
}

/// A development filing: its Item 1 as users get it, and its facts.
struct Dev {
    doc_id: String,
    section: String,
    facts: Vec<(Aspect, Vec<String>, f64)>,
}

impl Dev {
    fn states(&self, text: &str, fact: usize) -> bool {
        let lower = text.to_lowercase();
        self.facts[fact].1.iter().any(|m| lower.contains(m))
    }
}

fn corpus() -> PathBuf {
    std::env::var_os("TENK_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    )
}

/// The Item 1 text of a corpus filing, found as `tenk summarize` finds it.
fn item1_of(filings: &Path, doc_id: &str) -> Result<String> {
    let file = ["htm", "html", "txt"]
        .iter()
        .map(|ext| filings.join(format!("{doc_id}.{ext}")))
        .find(|p| p.exists())
        .with_context(|| format!("no filing {doc_id} in {}", filings.display()))?;
    let raw = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let doc = tenk::document::clean(&raw, TableMode::default());
    let item = tenk::item1::locate(&doc);
    Ok(tenk::item1::summary_source(&doc, &item).to_string())
}

fn load(corpus: &Path) -> Result<Vec<Dev>> {
    let path = corpus.join("gold/dev-facts.jsonl");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {} (set TENK_CORPUS)", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Filing = serde_json::from_str(l).context("a line of dev-facts.jsonl")?;
            let facts = f
                .facts
                .into_iter()
                .map(|x| {
                    let a = Aspect::by_name(&x.aspect)
                        .with_context(|| format!("unknown aspect {:?}", x.aspect))?;
                    Ok((
                        a,
                        x.any.iter().map(|m| m.to_lowercase()).collect(),
                        x.weight,
                    ))
                })
                .collect::<Result<_>>()?;
            Ok(Dev {
                section: item1_of(&corpus.join("filings"), &f.doc_id)?,
                doc_id: f.doc_id,
                facts,
            })
        })
        .collect()
}

/// A development filing's labelled sentences and concepts.
struct Labelled {
    sentences: Vec<Sample>,
    concepts: Vec<ConceptSample>,
}

/// The labelled sentences and concepts of filing number `filing`. A concept is key when a
/// match string of a fact is it, holds it as a word, or is part of it (a figure written
/// with more digits).
fn labelled(filing: usize, dev: &Dev) -> Labelled {
    let s = section(&dev.section);
    let is_key = |c: &str| {
        dev.facts.iter().flat_map(|f| &f.1).any(|m| {
            m.split_whitespace().any(|w| {
                w.trim_matches(|ch: char| !ch.is_alphanumeric() && ch != '%' && ch != '$') == c
            }) || (m.len() >= 3 && c.contains(m.as_str()))
        })
    };
    Labelled {
        concepts: s
            .concepts
            .iter()
            .map(|c| ConceptSample {
                features: c.features.to_vec(),
                key: is_key(&c.text),
            })
            .collect(),
        sentences: s
            .units
            .into_iter()
            .map(|u| Sample {
                labels: std::array::from_fn(|k| {
                    (0..dev.facts.len())
                        .any(|f| dev.facts[f].0 == ASPECTS[k] && dev.states(&u.text, f))
                }),
                terms: u.terms,
                filing,
                features: u.features,
            })
            .collect(),
    }
}

/// A model fitted to the labelled filings `of` (by number).
fn fit(labelled: &[Labelled], of: impl Fn(usize) -> bool) -> Model {
    let chosen = || {
        labelled
            .iter()
            .enumerate()
            .filter(|(i, _)| of(*i))
            .map(|(_, l)| l)
    };
    let sentences: Vec<Sample> = chosen().flat_map(|l| l.sentences.iter().cloned()).collect();
    let concepts: Vec<ConceptSample> = chosen().flat_map(|l| l.concepts.iter().cloned()).collect();
    Model::fit(&sentences, &concepts)
}

/// Weighted fact recall, overall and per aspect, of summaries made with `model`.
#[derive(Default)]
struct Recall {
    got: f64,
    total: f64,
    aspects: BTreeMap<&'static str, (f64, f64)>,
}

impl Recall {
    fn add(&mut self, dev: &Dev, summary: &str) {
        for (f, (aspect, _, weight)) in dev.facts.iter().enumerate() {
            let hit = if dev.states(summary, f) { *weight } else { 0.0 };
            self.got += hit;
            self.total += weight;
            let e = self.aspects.entry(aspect.name()).or_default();
            e.0 += hit;
            e.1 += weight;
        }
    }

    fn merge(&mut self, other: &Recall) {
        self.got += other.got;
        self.total += other.total;
        for (a, (g, t)) in &other.aspects {
            let e = self.aspects.entry(a).or_default();
            e.0 += g;
            e.1 += t;
        }
    }

    fn share(&self) -> f64 {
        self.got / self.total.max(1.0)
    }

    fn line(&self) -> String {
        let per: Vec<String> = self
            .aspects
            .iter()
            .map(|(a, (g, t))| format!("{a}={:.3}", g / t))
            .collect();
        format!("{:.3} [{}]", self.share(), per.join(" "))
    }
}

fn summarize_all(model: &Model, devs: &[&Dev], recall: &mut Recall, budget: usize) -> Result<()> {
    let s = Extractive::with_model(Tokenizer::by_name("cl100k_base")?, budget, model.clone());
    for dev in devs {
        recall.add(dev, &s.summarize(&dev.section)?.text);
    }
    Ok(())
}

/// The filings' folds: partition 0 deals them out in file order, the others in the order
/// of a fixed hash of (filing, partition).
fn folds(n: usize, partition: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if partition > 0 {
        order.sort_by_key(|&i| {
            // splitmix64's finaliser
            let mut z = (i as u64) << 32 | partition as u64;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        });
    }
    let mut fold_of = vec![0; n];
    for (rank, &i) in order.iter().enumerate() {
        fold_of[i] = rank % FOLDS;
    }
    fold_of
}

/// What the training chooses of selection: the length penalty and the concept value.
#[derive(Clone, Copy, Debug)]
struct Choice {
    length_power: f64,
    concept_value: f64,
    repeated_names: f64,
}

impl Choice {
    fn of(model: &Model) -> Choice {
        Choice {
            length_power: model.length_power,
            concept_value: model.concept_value,
            repeated_names: model.repeated_names,
        }
    }

    fn apply(self, model: &mut Model) {
        model.length_power = self.length_power;
        model.concept_value = self.concept_value;
        model.repeated_names = self.repeated_names;
    }
}

/// Fact recall of summaries of `budget` tokens of each filing by a model fitted to the
/// other folds, selecting with each of `choices` (one fit per fold serves them all).
fn cross_validate(
    devs: &[Dev],
    labelled: &[Labelled],
    partition: usize,
    budget: usize,
    choices: &[Choice],
) -> Result<Vec<Recall>> {
    let fold_of = folds(devs.len(), partition);
    let mut recalls: Vec<Recall> = choices.iter().map(|_| Recall::default()).collect();
    for fold in 0..FOLDS {
        let held_out: Vec<&Dev> = devs
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f == fold)
            .map(|(d, _)| d)
            .collect();
        let mut model = fit(labelled, |i| fold_of[i] != fold);
        for (recall, choice) in recalls.iter_mut().zip(choices) {
            choice.apply(&mut model);
            summarize_all(&model, &held_out, recall, budget)?;
        }
    }
    Ok(recalls)
}

/// Cross-validated fact recall with one choice.
fn cross_validate_one(
    devs: &[Dev],
    labelled: &[Labelled],
    partition: usize,
    budget: usize,
    choice: Choice,
) -> Result<Recall> {
    let mut recalls = cross_validate(devs, labelled, partition, budget, &[choice])?;
    Ok(recalls.remove(0))
}

/// Fact recall when selection is given the labels instead of the model's chances: what
/// a perfect model of these labels would reach, so the gap to it is the model's.
fn selection_alone(devs: &[Dev], labelled: &[Labelled], model: &Model) -> Result<Recall> {
    let s = Extractive::with_model(
        Tokenizer::by_name("cl100k_base")?,
        MAX_TOKENS,
        model.clone(),
    );
    let mut recall = Recall::default();
    for (dev, l) in devs.iter().zip(labelled) {
        let p: Vec<[f64; 5]> = l
            .sentences
            .iter()
            .map(|x| x.labels.map(|l| if l { 0.9 } else { 0.05 }))
            .collect();
        let picked = s.select_scored(&section(&dev.section), &p, MAX_TOKENS);
        recall.add(dev, &picked.join(" "));
    }
    Ok(recall)
}

/// The input the `llm` summarizer reads (`summarizer.llm.input_tokens`): the fact recall
/// of the condensed text itself at three budgets (cross-validated), and the tokens a model
/// reads per filing of the whole corpus, whole sections against condensed ones.
fn condensed(corpus: &Path, devs: &[Dev], labelled: &[Labelled], choice: Choice) -> Result<()> {
    let mut whole_recall = Recall::default();
    for dev in devs {
        whole_recall.add(dev, &dev.section);
    }
    println!(
        "whole sections as found: fact recall {}",
        whole_recall.line()
    );
    for budget in [2000, 4000, 8000] {
        let recall = cross_validate_one(devs, labelled, 0, budget, choice)?;
        println!(
            "condensed input, {budget} tokens (cross-validated): fact recall {}",
            recall.line()
        );
    }
    let tokenizer = Tokenizer::by_name("cl100k_base")?;
    let s = Extractive::new(tokenizer, 4000);
    let (mut whole, mut condensed, mut n) = (0usize, 0usize, 0usize);
    for entry in std::fs::read_dir(corpus.join("filings"))? {
        let path = entry?.path();
        let Some(doc_id) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let section = item1_of(&corpus.join("filings"), doc_id)?;
        if section.is_empty() {
            continue;
        }
        whole += tokenizer.count(&section);
        condensed += tokenizer.count(&s.select(&section, 4000).join(" "));
        n += 1;
    }
    println!(
        "input tokens per filing over {n} corpus filings with an Item 1: whole {} , condensed to 4000: {}",
        whole / n.max(1),
        condensed / n.max(1)
    );
    Ok(())
}

/// The length penalty of `LENGTH_POWERS` and the concept value of `CONCEPT_VALUES` with the
/// best mean cross-validated recall over `SWEEP_PARTITIONS` partitions (the first of
/// equals), at the middle weight of repeated names; then that weight among
/// `REPEATED_NAMES`, with them.
fn choose(devs: &[Dev], labelled: &[Labelled]) -> Result<Choice> {
    let middle = REPEATED_NAMES[REPEATED_NAMES.len() / 2];
    let pairs: Vec<Choice> = LENGTH_POWERS
        .into_iter()
        .flat_map(|length_power| {
            CONCEPT_VALUES.into_iter().map(move |concept_value| Choice {
                length_power,
                concept_value,
                repeated_names: middle,
            })
        })
        .collect();
    let pair = best_of(devs, labelled, pairs)?;
    let weights = REPEATED_NAMES
        .into_iter()
        .map(|repeated_names| Choice {
            repeated_names,
            ..pair
        })
        .collect();
    let best = best_of(devs, labelled, weights)?;
    println!(
        "chosen: length penalty {:.2}, concept value {:.2}, repeated names {:.2}",
        best.length_power, best.concept_value, best.repeated_names
    );
    Ok(best)
}

/// The choice of `grid` with the best mean cross-validated recall over `SWEEP_PARTITIONS`
/// partitions (the first of equals).
fn best_of(devs: &[Dev], labelled: &[Labelled], grid: Vec<Choice>) -> Result<Choice> {
    let mut sums = vec![0.0; grid.len()];
    for partition in 0..SWEEP_PARTITIONS {
        let recalls = cross_validate(devs, labelled, partition, MAX_TOKENS, &grid)?;
        for (sum, recall) in sums.iter_mut().zip(recalls) {
            *sum += recall.share();
        }
    }
    let mut best = (f64::MIN, grid[0]);
    for (choice, sum) in grid.into_iter().zip(sums) {
        let mean = sum / SWEEP_PARTITIONS as f64;
        println!(
            "length penalty {:.2}, concept value {:.2}, repeated names {:.2}: fact recall, 5-fold cross-validated over {SWEEP_PARTITIONS} partitions: mean {mean:.3}",
            choice.length_power, choice.concept_value, choice.repeated_names
        );
        if mean > best.0 + 1e-9 {
            best = (mean, choice);
        }
    }
    Ok(best.1)
}

/// The number after `flag` on the command line.
fn flag_value(flag: &str) -> Option<usize> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == flag)?;
    args.get(at + 1)?.parse().ok()
}

/// The labelled sentences and concepts as CSV (features and labels, no text), to `dir`.
fn write_training_data(dir: &Path, devs: &[Dev], labelled: &[Labelled]) -> Result<()> {
    let mut out = String::from("doc_id,sentence");
    for a in ASPECTS {
        out.push_str(&format!(",label_{}", a.name()));
    }
    for f in FEATURES {
        out.push_str(&format!(",{f}"));
    }
    out.push('\n');
    let mut concepts = format!("doc_id,concept,key,{}\n", CONCEPT_FEATURES.join(","));
    for (dev, l) in devs.iter().zip(labelled) {
        for (i, s) in l.sentences.iter().enumerate() {
            out.push_str(&format!("{},{i}", dev.doc_id));
            for l in s.labels {
                out.push_str(if l { ",1" } else { ",0" });
            }
            for v in &s.features {
                out.push_str(&format!(",{v:.4}"));
            }
            out.push('\n');
        }
        for (i, c) in l.concepts.iter().enumerate() {
            concepts.push_str(&format!("{},{i},{}", dev.doc_id, u8::from(c.key)));
            for v in &c.features {
                concepts.push_str(&format!(",{v:.4}"));
            }
            concepts.push('\n');
        }
    }
    std::fs::create_dir_all(dir)?;
    for (name, text) in [
        ("summary-training.csv", out),
        ("concept-training.csv", concepts),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Writes, per development filing, its sentences with the cross-validated chances (partition
/// 0), labels and whether the summary chose them, as JSON lines into `dir`: for reading the
/// misses.
fn dump(devs: &[Dev], labelled: &[Labelled], dir: &Path, choice: Choice) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let fold_of = folds(devs.len(), 0);
    for fold in 0..FOLDS {
        let mut model = fit(labelled, |i| fold_of[i] != fold);
        choice.apply(&mut model);
        let s = Extractive::with_model(
            Tokenizer::by_name("cl100k_base")?,
            MAX_TOKENS,
            model.clone(),
        );
        for (i, dev) in devs.iter().enumerate().filter(|(i, _)| fold_of[*i] == fold) {
            let picked = s.select(&dev.section, MAX_TOKENS);
            let mut out = String::new();
            for (u, sample) in section(&dev.section)
                .units
                .iter()
                .zip(&labelled[i].sentences)
            {
                let p = model.probabilities(&u.features, &u.terms);
                out.push_str(&serde_json::to_string(&serde_json::json!({
                    "text": u.text, "p": p, "labels": sample.labels,
                    "chosen": picked.contains(&u.text), "tokens": u.estimated_tokens,
                    "back": u.back_reference, "previous": u.previous, "defined_in": u.defined_in,
                }))?);
                out.push('\n');
            }
            std::fs::write(dir.join(format!("{}.jsonl", dev.doc_id)), out)?;
        }
    }
    Ok(())
}

fn main() -> Result<()> {
    let check = std::env::args().any(|a| a == "--check");
    let corpus = corpus();
    let devs = load(&corpus)?;
    let labelled: Vec<Labelled> = devs
        .iter()
        .enumerate()
        .map(|(i, d)| labelled(i, d))
        .collect();
    let positives: usize = labelled
        .iter()
        .flat_map(|l| &l.sentences)
        .filter(|s| s.labels.iter().any(|l| *l))
        .count();
    let concepts = labelled.iter().flat_map(|l| &l.concepts);
    println!(
        "train-summary: {} filings, {} sentences, {positives} state a fact; {} concepts, {} key",
        devs.len(),
        labelled.iter().map(|l| l.sentences.len()).sum::<usize>(),
        concepts.clone().count(),
        concepts.filter(|c| c.key).count(),
    );

    // 5-fold cross-validation by filing: the folds in the order of dev-facts.jsonl, then
    // `--repeats N - 1` other partitions, whose mean says how much of a difference between
    // two versions is the luck of one partition
    let choice = if check {
        Choice::of(&Model::embedded())
    } else {
        choose(&devs, &labelled)?
    };
    let repeats = flag_value("--repeats").unwrap_or(1).max(1);
    let cv = cross_validate_one(&devs, &labelled, 0, MAX_TOKENS, choice)?;
    if repeats > 1 {
        // every partition scores the same facts, so their sums pooled are the means
        let mut pooled = Recall::default();
        pooled.merge(&cv);
        let mut shares = vec![cv.share()];
        for r in 1..repeats {
            let recall = cross_validate_one(&devs, &labelled, r, MAX_TOKENS, choice)?;
            shares.push(recall.share());
            pooled.merge(&recall);
        }
        let each: Vec<String> = shares.iter().map(|s| format!("{s:.3}")).collect();
        println!(
            "fact recall, 5-fold cross-validated over {repeats} partitions: mean {} (each {})",
            pooled.line(),
            each.join(", ")
        );
    }

    let mut model = fit(&labelled, |_| true);
    choice.apply(&mut model);
    let oracle = selection_alone(&devs, &labelled, &model)?;
    let mut fitted = Recall::default();
    summarize_all(
        &model,
        &devs.iter().collect::<Vec<_>>(),
        &mut fitted,
        MAX_TOKENS,
    )?;
    println!(
        "fact recall, 5-fold cross-validated by filing: {}",
        cv.line()
    );
    println!(
        "fact recall, in-sample (fitted to all {}): {}",
        devs.len(),
        fitted.line()
    );
    println!(
        "fact recall, the labels as the model (selection alone): {}",
        oracle.line()
    );

    if std::env::args().any(|a| a == "--condensed") {
        condensed(&corpus, &devs, &labelled, choice)?;
    }

    if let Some(at) = std::env::args().position(|a| a == "--dump") {
        let dir = std::env::args().nth(at + 1).context("--dump DIR")?;
        dump(&devs, &labelled, Path::new(&dir), choice)?;
    }

    if !check {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = root.join("data");
        write_training_data(&data, &devs, &labelled)?;
        let model_path = root.join("src/summarize/model.json");
        std::fs::write(&model_path, serde_json::to_string_pretty(&model)? + "\n")
            .with_context(|| format!("cannot write {}", model_path.display()))?;
        println!("wrote {} and {}", data.display(), model_path.display());
    }
    Ok(())
}
