//! The learned part of the extractive summarizer: for each aspect of a business model, a
//! logistic model of the chance that a sentence states a fact of that aspect, read from the
//! sentence's features (`features`).
//!
//! Besides the measured features, the model reads a sentence's words: a vocabulary learned
//! from the training sentences gives each word a log-odds per aspect (how much more often
//! it occurs in sentences that state a fact of the aspect than in others), and the
//! sentence's words add up to one more feature per aspect. Only words that occur in at
//! least `MIN_FILINGS` training filings enter the vocabulary, so it holds the language of
//! business descriptions, not the names of particular companies.
//!
//! A second, smaller model (`Keyness`) says which names and figures of a section are part of
//! key facts, from how often, how early and how widely the section mentions them; selection
//! counts the ones no chosen sentence mentions yet.
//!
//! The weights are fitted by `just train-summary` on sentences of the development filings
//! labelled by their key facts, and embedded from `model.json`: nothing here is set by
//! hand. `fit` is the training: word counts for the vocabulary, then Newton's method on the
//! L2-penalised log-likelihood, on standardised features, so the result is deterministic
//! and does not depend on a step size.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::{ensure, Context, Result};
use serde::{Deserialize, Serialize};

use super::features::{ASPECTS, CONCEPT_FEATURES, FEATURES};

/// Vocabulary, standardisation and per-aspect weights (the bias last).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Model {
    /// Per word, its log-odds for each aspect.
    pub vocabulary: BTreeMap<String, [f64; 5]>,
    /// The measured features (`features::FEATURES`), then the vocabulary's per aspect.
    pub features: Vec<String>,
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
    /// One weight vector per aspect in `ASPECTS` order, `features.len() + 1` long.
    pub weights: Vec<Vec<f64>>,
    /// Selection's length penalty: a sentence's gain is divided by its tokens to this
    /// power (1: gain per token; less favours long sentences that state several facts).
    /// Chosen by `just train-summary` among `LENGTH_POWERS` by cross-validated recall.
    pub length_power: f64,
    /// Which names and figures are part of key facts.
    pub keyness: Keyness,
    /// What a key concept no chosen sentence mentions yet adds to a sentence's gain, next
    /// to the aspects' chances. Chosen by `just train-summary` among `CONCEPT_VALUES`.
    pub concept_value: f64,
    /// How much of a sentence's aspect value it loses when every key name and figure in it
    /// is one a chosen sentence mentions already: it most likely states again a fact the
    /// summary holds ("Our Acme line…" after the sentence that introduced Acme). Chosen by
    /// `just train-summary` among `REPEATED_NAMES`.
    pub repeated_names: f64,
    /// The vocabulary for lookups, built on first use (a sorted map is for the file).
    #[serde(skip)]
    lookup: std::sync::OnceLock<Lookup>,
}

/// Per word, its log-odds per aspect, for lookups (the file keeps them sorted).
type Lookup = HashMap<String, [f64; 5], foldhash::fast::FixedState>;

/// A labelled sentence: its features and words, the filing it comes from, and, per aspect,
/// whether it states a fact of it.
#[derive(Debug, Clone)]
pub struct Sample {
    pub features: Vec<f64>,
    pub terms: Vec<String>,
    pub filing: usize,
    pub labels: [bool; 5],
}

/// The chance that a name or figure of a section (`features::Concept`) is part of a key
/// fact: a logistic model of the concept's features, fitted on the concepts of the
/// development filings that occur in a key fact's match strings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Keyness {
    /// `features::CONCEPT_FEATURES`, to refuse a model fitted to others.
    pub features: Vec<String>,
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
    /// The bias last.
    pub weights: Vec<f64>,
}

/// A labelled concept: its features, and whether it is part of a key fact.
#[derive(Debug, Clone)]
pub struct ConceptSample {
    pub features: Vec<f64>,
    pub key: bool,
}

/// The concept values `just train-summary` chooses among.
pub const CONCEPT_VALUES: [f64; 5] = [0.0, 0.05, 0.1, 0.2, 0.4];

/// The weights of repeated names `just train-summary` chooses among.
pub const REPEATED_NAMES: [f64; 3] = [0.0, 0.25, 0.5];

/// The length penalties `just train-summary` chooses among.
pub const LENGTH_POWERS: [f64; 8] = [0.7, 0.85, 1.0, 1.15, 1.3, 1.5, 1.7, 2.0];

/// A word enters the vocabulary when it occurs in at least this many training filings.
const MIN_FILINGS: usize = 5;

/// Folds of the training filings for cross-fitting the word evidence.
const INNER_FOLDS: usize = 5;

/// The names of all features the weights apply to.
fn all_features() -> Vec<String> {
    FEATURES
        .iter()
        .map(|f| f.to_string())
        .chain(ASPECTS.iter().map(|a| format!("words_{}", a.name())))
        .collect()
}

/// The strength of the L2 penalty (per sample, on standardised features).
const L2: f64 = 1e-3;
const NEWTON_STEPS: usize = 25;

impl Model {
    /// The model fitted by `just train-summary`, embedded in the binary: read once, shared
    /// by every summarizer of the process.
    pub fn embedded() -> std::sync::Arc<Model> {
        static MODEL: std::sync::OnceLock<std::sync::Arc<Model>> = std::sync::OnceLock::new();
        MODEL
            .get_or_init(|| {
                std::sync::Arc::new(
                    Model::from_json(include_str!("model.json"))
                        .expect("the embedded model is valid"),
                )
            })
            .clone()
    }

    /// Reads a model and checks it was fitted to this version's features.
    pub fn from_json(json: &str) -> Result<Model> {
        let m: Model = serde_json::from_str(json).context("not a summarizer model")?;
        let d = all_features().len();
        ensure!(
            m.features == all_features(),
            "the model was fitted to other features than this version computes; run `just train-summary`"
        );
        ensure!(
            m.keyness.features == CONCEPT_FEATURES
                && m.keyness.mean.len() == CONCEPT_FEATURES.len()
                && m.keyness.scale.len() == CONCEPT_FEATURES.len()
                && m.keyness.weights.len() == CONCEPT_FEATURES.len() + 1,
            "the model's concept features do not match this version's; run `just train-summary`"
        );
        ensure!(
            m.mean.len() == d
                && m.scale.len() == d
                && m.weights.len() == ASPECTS.len()
                && m.weights.iter().all(|w| w.len() == d + 1),
            "the model's dimensions do not match its features"
        );
        Ok(m)
    }

    /// The vocabulary's evidence per aspect for a sentence with these words.
    fn word_evidence(vocabulary: &Lookup, terms: &[String]) -> [f64; 5] {
        let mut sum = [0.0; 5];
        let mut known = 0usize;
        for odds in terms.iter().filter_map(|t| vocabulary.get(t)) {
            known += 1;
            for (s, o) in sum.iter_mut().zip(odds) {
                *s += o;
            }
        }
        sum.map(|s| s / ((known + 1) as f64).sqrt())
    }

    /// Per aspect, the chance that a sentence with measured features `x` and words `terms`
    /// states a fact of it.
    pub fn probabilities(&self, x: &[f64], terms: &[String]) -> [f64; 5] {
        let lookup = self.lookup.get_or_init(|| {
            self.vocabulary
                .iter()
                .map(|(w, o)| (w.clone(), *o))
                .collect()
        });
        let words = Self::word_evidence(lookup, terms);
        let z: Vec<f64> = standardised(x.iter().chain(&words), &self.mean, &self.scale).collect();
        std::array::from_fn(|k| sigmoid(score(&self.weights[k], z.iter().copied())))
    }

    /// The chance that a concept with these features is part of a key fact.
    pub fn keyness(&self, features: &[f64]) -> f64 {
        let k = &self.keyness;
        sigmoid(score(&k.weights, standardised(features, &k.mean, &k.scale)))
    }

    /// Fits a model to labelled sentences and concepts.
    pub fn fit(samples: &[Sample], concepts: &[ConceptSample]) -> Model {
        let vocabulary = learn_vocabulary(samples.iter()).into_iter().collect();
        // a sentence's word evidence comes from a vocabulary of the other filings (cross-
        // fitting), so the weights learn what the vocabulary is worth on unseen filings
        let inner: Vec<Lookup> = (0..INNER_FOLDS)
            .map(|f| learn_vocabulary(samples.iter().filter(|s| s.filing % INNER_FOLDS != f)))
            .collect();
        let rows: Vec<Vec<f64>> = samples
            .iter()
            .map(|s| {
                let mut row = s.features.clone();
                row.extend(Self::word_evidence(
                    &inner[s.filing % INNER_FOLDS],
                    &s.terms,
                ));
                row
            })
            .collect();
        let (mean, scale, z) = standardise(&rows, all_features().len());
        let weights = (0..ASPECTS.len())
            .map(|k| {
                let y: Vec<f64> = samples
                    .iter()
                    .map(|s| f64::from(u8::from(s.labels[k])))
                    .collect();
                newton(&z, &y)
            })
            .collect();
        let rows: Vec<Vec<f64>> = concepts.iter().map(|c| c.features.clone()).collect();
        let (concept_mean, concept_scale, z) = standardise(&rows, CONCEPT_FEATURES.len());
        let key: Vec<f64> = concepts
            .iter()
            .map(|c| f64::from(u8::from(c.key)))
            .collect();
        Model {
            vocabulary,
            features: all_features(),
            mean,
            scale,
            weights,
            // gain per token, no concept value and no weight of repeated names until the
            // training command chooses
            length_power: 1.0,
            keyness: Keyness {
                features: CONCEPT_FEATURES.iter().map(|f| f.to_string()).collect(),
                mean: concept_mean,
                scale: concept_scale,
                weights: newton(&z, &key),
            },
            concept_value: 0.0,
            repeated_names: 0.0,
            lookup: std::sync::OnceLock::new(),
        }
    }
}

/// Per word of at least `MIN_FILINGS` filings, per aspect: the log of how much more often
/// it occurs in the sentences that state a fact of the aspect than in the others (counts
/// smoothed by one).
fn learn_vocabulary<'a>(samples: impl Iterator<Item = &'a Sample>) -> Lookup {
    let mut filings: HashMap<&str, HashSet<usize>> = HashMap::new();
    let mut counts: HashMap<&str, ([f64; 5], [f64; 5])> = HashMap::new();
    let mut totals = ([0.0; 5], [0.0; 5]);
    for s in samples {
        for k in 0..ASPECTS.len() {
            if s.labels[k] {
                totals.0[k] += 1.0;
            } else {
                totals.1[k] += 1.0;
            }
        }
        for t in &s.terms {
            filings.entry(t).or_default().insert(s.filing);
            let c = counts.entry(t).or_default();
            for k in 0..ASPECTS.len() {
                if s.labels[k] {
                    c.0[k] += 1.0;
                } else {
                    c.1[k] += 1.0;
                }
            }
        }
    }
    counts
        .into_iter()
        .filter(|(t, _)| filings[t].len() >= MIN_FILINGS)
        .map(|(t, (pos, neg))| {
            let odds = std::array::from_fn(|k| {
                ((pos[k] + 1.0) / (totals.0[k] + 2.0)).ln()
                    - ((neg[k] + 1.0) / (totals.1[k] + 2.0)).ln()
            });
            (t.to_string(), odds)
        })
        .collect()
}

/// The mean and scale of each of the `d` columns of `rows`, and the rows standardised by
/// them, each ending with the constant 1 for the bias.
fn standardise(rows: &[Vec<f64>], d: usize) -> (Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
    let n = rows.len().max(1) as f64;
    let mean: Vec<f64> = (0..d)
        .map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / n)
        .collect();
    let scale: Vec<f64> = (0..d)
        .map(|j| {
            let var = rows.iter().map(|r| (r[j] - mean[j]).powi(2)).sum::<f64>() / n;
            if var > 1e-12 {
                var.sqrt()
            } else {
                1.0
            }
        })
        .collect();
    let z = rows
        .iter()
        .map(|r| {
            let mut row: Vec<f64> = standardised(r, &mean, &scale).collect();
            row.push(1.0);
            row
        })
        .collect();
    (mean, scale, z)
}

fn sigmoid(t: f64) -> f64 {
    1.0 / (1.0 + (-t).exp())
}

/// `x` standardised by `mean` and `scale`, value by value.
fn standardised<'a>(
    x: impl IntoIterator<Item = &'a f64> + 'a,
    mean: &'a [f64],
    scale: &'a [f64],
) -> impl Iterator<Item = f64> + 'a {
    x.into_iter()
        .zip(mean)
        .zip(scale)
        .map(|((v, m), s)| (v - m) / s)
}

/// The linear score of standardised features `z` under `weights` (the bias last).
fn score(weights: &[f64], z: impl IntoIterator<Item = f64>) -> f64 {
    let (bias, w) = weights.split_last().unwrap_or((&0.0, &[]));
    w.iter().zip(z).map(|(w, x)| w * x).sum::<f64>() + bias
}

/// Logistic regression by Newton's method: rows of `z` end with the constant 1.
fn newton(z: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let d = z.first().map_or(1, Vec::len);
    let n = z.len().max(1) as f64;
    let mut w = vec![0.0; d];
    for _ in 0..NEWTON_STEPS {
        let mut grad = vec![0.0; d];
        let mut hess = vec![vec![0.0; d]; d];
        for (row, &target) in z.iter().zip(y) {
            let p = sigmoid(row.iter().zip(&w).map(|(x, w)| x * w).sum());
            let r = p * (1.0 - p);
            for a in 0..d {
                grad[a] += (p - target) * row[a] / n;
                for b in a..d {
                    hess[a][b] += r * row[a] * row[b] / n;
                }
            }
        }
        for a in 0..d {
            let upper: Vec<f64> = (0..a).map(|b| hess[b][a]).collect();
            hess[a][..a].copy_from_slice(&upper);
            // the bias is not penalised
            if a + 1 < d {
                grad[a] += L2 * w[a];
                hess[a][a] += L2;
            }
        }
        let Some(step) = solve(hess, grad) else { break };
        let mut moved = 0.0f64;
        for (w, s) in w.iter_mut().zip(&step) {
            *w -= s;
            moved = moved.max(s.abs());
        }
        if moved < 1e-9 {
            break;
        }
    }
    w
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; None when singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..n {
            let f = a[row][col] / a[col][col];
            let (top, bottom) = a.split_at_mut(row);
            for (x, p) in bottom[0][col..].iter_mut().zip(&top[col][col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_separates_a_feature_that_predicts_the_label_of_sentences_and_concepts() {
        let d = FEATURES.len();
        let samples: Vec<Sample> = (0..200)
            .map(|i| {
                let on = i % 3 == 0;
                let mut features = vec![0.0; d];
                features[0] = if on { 2.0 } else { 0.0 } + (i % 7) as f64 * 0.01;
                features[1] = (i % 5) as f64;
                let word = if i % 2 == 0 { "pumps" } else { "valves" };
                Sample {
                    features,
                    terms: vec![word.to_string()],
                    filing: i % 10,
                    labels: [on, !on, false, false, false],
                }
            })
            .collect();
        // a concept mentioned often is key, one mentioned once is not
        let concepts: Vec<ConceptSample> = (0..100)
            .map(|i| {
                let mut features = vec![0.0; CONCEPT_FEATURES.len()];
                let key = i % 4 == 0;
                features[0] = if key { 2.0 } else { 0.7 } + (i % 3) as f64 * 0.01;
                ConceptSample { features, key }
            })
            .collect();
        let m = Model::fit(&samples, &concepts);
        assert!(m.vocabulary.contains_key("pumps") && m.vocabulary.len() == 2);
        assert!(m.keyness(&concepts[0].features) > 0.9 && m.keyness(&concepts[1].features) < 0.1);
        let p = |i: usize| m.probabilities(&samples[i].features, &samples[i].terms);
        assert!(p(0)[0] > 0.9 && p(1)[0] < 0.1, "{:?} {:?}", p(0), p(1));
        assert!(p(0)[1] < 0.1 && p(1)[1] > 0.9);
        let back = Model::from_json(&serde_json::to_string(&m).unwrap()).unwrap();
        for s in &samples[..6] {
            let (a, b) = (
                m.probabilities(&s.features, &s.terms),
                back.probabilities(&s.features, &s.terms),
            );
            assert!(a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9));
        }
    }

    #[test]
    fn the_embedded_model_matches_the_features() {
        assert_eq!(Model::embedded().features, all_features());
    }
}
