//! The embedded summarizer: picks the sentences of Item 1 that say how the company makes
//! money — sources of revenue, customers, products, distribution channels, financing — and
//! joins them into one paragraph within the token budget: the sentence that says what the
//! company is first, the others in document order.
//!
//! Every output sentence is verbatim from the section, so the summary cannot state anything
//! the filing does not. A learned model (`model`, fitted by `just train-summary`) gives each
//! sentence the chance that it states a fact of each aspect. Selection then runs in three
//! passes: the sentence that says what the company is opens the summary; every aspect the
//! text supports gets its best sentence before any aspect gets a second (coverage before
//! depth); the rest of the budget goes to the sentences with the most expected new facts per
//! token (to a power the training chooses), where an aspect's value falls with each sentence
//! already covering it and with the share of the sentence's names and figures the summary
//! mentions already, a name or figure no chosen sentence mentions yet adds the model's
//! chance that it is part of a key fact, and a sentence that repeats a chosen one is worth
//! less. A sentence that points back ("These products…", "In addition, …") is taken only
//! together with the sentence it points to, and one that uses an abbreviation the section
//! defined earlier only together with the sentence that defines it: a reader meets neither
//! a pointer to nothing nor an abbreviation never spelled out.

use std::sync::Arc;

use super::features::{
    section, Identity, Section, Unit, ASPECTS, FEATURES, OPENING_REACH, OPENING_WINDOW,
};
use super::model::Model;
use super::tokens::Tokenizer;
use super::{Summarizer, Summary};

/// The extractive summarizer, configured with its tokenizer, budget and model.
#[derive(Debug, Clone)]
pub struct Extractive {
    tokenizer: Tokenizer,
    max_tokens: usize,
    model: Arc<Model>,
}

/// How much an aspect's value falls with each sentence that already covers it.
const DEPTH_DECAY: f64 = 0.7;

/// The chance below which a sentence does not count as covering an aspect in the coverage
/// pass (it may still be chosen later for what it adds).
const COVERAGE_MIN: f64 = 0.2;

/// The most sentences that one may bring with it: the ones it points back to and the
/// definition of an abbreviation it uses.
const BUNDLE_MAX: usize = 4;

/// Share of content words two sentences have in common above which one is a
/// near-duplicate of the other.
const NEAR_DUPLICATE: f64 = 0.5;

/// Share of the shorter sentence's content words in the longer one from which the shorter
/// says nothing the longer does not.
const CONTAINED: f64 = 0.8;

impl Extractive {
    /// The summarizer with the embedded model.
    pub fn new(tokenizer: Tokenizer, max_tokens: usize) -> Self {
        Extractive {
            tokenizer,
            max_tokens,
            model: Model::embedded(),
        }
    }

    /// The summarizer with another model (training and its cross-validation).
    pub fn with_model(tokenizer: Tokenizer, max_tokens: usize, model: Model) -> Self {
        Extractive {
            tokenizer,
            max_tokens,
            model: Arc::new(model),
        }
    }

    /// The sentences a summary of `section` would be made of, within `budget` tokens, in
    /// reading order (`reading_order`).
    pub fn select(&self, text: &str, budget: usize) -> Vec<String> {
        let s = section(text);
        let p: Vec<[f64; 5]> = s
            .units
            .iter()
            .map(|u| self.model.probabilities(&u.features, &u.terms))
            .collect();
        self.select_scored(&s, &p, budget)
    }

    /// The sentences of `section` a summary would be made of, given each one's chance per
    /// aspect: the model's, or in training the labels themselves, to measure selection
    /// alone.
    pub fn select_scored(&self, section: &Section, p: &[[f64; 5]], budget: usize) -> Vec<String> {
        let us = &section.units;
        let mut s = Selection::new(section, p, self, budget);
        // only a sentence that says what the company is leads, wherever it stands
        let opening = if s.opening() { s.chosen.len() } else { 0 };
        s.coverage();
        s.fill();
        reading_order(us, s.chosen, opening)
            .into_iter()
            .map(|i| us[i].text.clone())
            .collect()
    }
}

/// A selection in the making.
struct Selection<'a> {
    units: &'a [Unit],
    p: &'a [[f64; 5]],
    summarizer: &'a Extractive,
    budget: usize,
    chosen: Vec<usize>,
    taken: Vec<bool>,
    /// per aspect, the squared chances of the chosen sentences, summed: a sentence that
    /// surely states an aspect covers it, one that merely touches it hardly does
    covered: [f64; 5],
    /// tokens of the chosen sentences as they stand in the joined summary
    used: usize,
    /// exact token counts of each sentence after a space, as it stands in the joined
    /// summary (the space merges into its first token), filled in as sentences are
    /// considered
    tokens: Vec<Option<usize>>,
    /// per sentence, its greatest word overlap (`overlap`) with a chosen one, kept up to date
    /// as sentences are taken
    overlap: Vec<f64>,
    /// per concept (a name or figure), whether a chosen sentence mentions it
    mentioned: Vec<bool>,
    /// per concept, the model's chance that it is part of a key fact
    keyness: Vec<f64>,
}

impl<'a> Selection<'a> {
    fn new(
        section: &'a Section,
        p: &'a [[f64; 5]],
        summarizer: &'a Extractive,
        budget: usize,
    ) -> Self {
        let units = &section.units;
        Selection {
            units,
            p,
            summarizer,
            budget,
            chosen: Vec::new(),
            taken: vec![false; units.len()],
            covered: [0.0; 5],
            used: 0,
            tokens: vec![None; units.len()],
            overlap: vec![0.0; units.len()],
            mentioned: vec![false; section.concepts.len()],
            keyness: section
                .concepts
                .iter()
                .map(|c| summarizer.model.keyness(&c.features))
                .collect(),
        }
    }

    /// The sentences that must come with `i`, in document order: the ones it points back
    /// to, and the one that defines an abbreviation it uses, with the ones that one points
    /// back to. None when it needs more than `BUNDLE_MAX` sentences in all, or points back
    /// to nothing it can come with.
    fn bundle(&self, i: usize) -> Option<Vec<usize>> {
        let mut out = self.chain(i)?;
        let definition = out
            .iter()
            .find_map(|&j| self.units[j].defined_in)
            .filter(|d| !self.taken[*d] && !out.contains(d));
        if let Some(d) = definition {
            out.extend(self.chain(d)?);
            out.sort_unstable();
            out.dedup();
        }
        (out.len() <= BUNDLE_MAX).then_some(out)
    }

    /// `i` and the sentences it points back to that are not taken yet, in document order.
    fn chain(&self, i: usize) -> Option<Vec<usize>> {
        let mut out = vec![i];
        let mut at = i;
        while self.units[at].back_reference {
            let prev = self.units[at].previous?;
            if self.taken[prev] {
                break;
            }
            out.push(prev);
            at = prev;
            if out.len() > BUNDLE_MAX {
                return None;
            }
        }
        out.reverse();
        Some(out)
    }

    fn count(&mut self, i: usize) -> usize {
        *self.tokens[i].get_or_insert_with(|| {
            let text = &self.units[i].text;
            let mut spaced = String::with_capacity(text.len() + 1);
            spaced.push(' ');
            spaced.push_str(text);
            self.summarizer.tokenizer.count(&spaced)
        })
    }

    /// Takes `i` with what it needs if all fits the budget; says whether it did.
    fn take(&mut self, i: usize) -> bool {
        let Some(bundle) = self.bundle(i) else {
            return false;
        };
        let new: Vec<usize> = bundle.into_iter().filter(|&j| !self.taken[j]).collect();
        let cost: usize = new.iter().map(|&j| self.count(j)).sum();
        if self.used + cost > self.budget {
            return false;
        }
        for j in new {
            self.taken[j] = true;
            self.chosen.push(j);
            for (o, u) in self.overlap.iter_mut().zip(self.units) {
                *o = o.max(overlap(&u.words, &self.units[j].words));
            }
            for (c, p) in self.covered.iter_mut().zip(self.p[j]) {
                *c += p * p;
            }
            for c in &self.units[j].concepts {
                self.mentioned[*c as usize] = true;
            }
        }
        self.used += cost;
        true
    }

    /// Whether `i` may still be chosen: not taken, and not a near-duplicate of a chosen one.
    fn open(&self, i: usize) -> bool {
        !self.taken[i] && self.overlap[i] <= NEAR_DUPLICATE
    }

    /// The summary opens with what the company is: the first of the opening sentences that
    /// says it, else the first further on that clearly says it, else the opening sentence
    /// the model finds most likely to state its products, if any does. Says whether it took
    /// one that says what the company is.
    fn opening(&mut self) -> bool {
        let identity = FEATURES.iter().position(|f| *f == "identity");
        let says = |i: usize, at_least: f64| {
            identity.is_some_and(|k| self.units[i].features[k] >= at_least)
        };
        let window = 0..self.units.len().min(OPENING_WINDOW);
        let says_what_it_is = window
            .clone()
            .find(|&i| says(i, Identity::Broad.value()))
            .or_else(|| {
                (window.end..self.units.len().min(OPENING_REACH))
                    .find(|&i| says(i, Identity::Clear.value()))
            });
        let best = says_what_it_is.or_else(|| {
            window
                .filter(|&i| !self.units[i].back_reference)
                .max_by(|&a, &b| self.p[a][2].total_cmp(&self.p[b][2]))
                .filter(|&i| self.p[i][2] >= COVERAGE_MIN)
        });
        best.is_some_and(|i| self.take(i)) && says_what_it_is.is_some()
    }

    /// Every aspect the text supports gets its best sentence, the aspects most clearly
    /// supported first.
    fn coverage(&mut self) {
        let mut order: Vec<(usize, usize)> = (0..ASPECTS.len())
            .filter_map(|k| {
                let best =
                    (0..self.units.len()).max_by(|&a, &b| self.p[a][k].total_cmp(&self.p[b][k]))?;
                Some((k, best))
            })
            .collect();
        order.sort_by(|a, b| self.p[b.1][b.0].total_cmp(&self.p[a.1][a.0]));
        for (k, _) in order {
            if self.covered[k] >= COVERAGE_MIN {
                continue;
            }
            let mut ranked: Vec<(f64, usize)> = (0..self.units.len())
                .filter(|&i| self.open(i) && self.p[i][k] >= COVERAGE_MIN)
                .map(|i| {
                    let score = self.p[i][k] / (self.units[i].estimated_tokens as f64).powf(0.3);
                    (score, i)
                })
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (_, i) in ranked.into_iter().take(3) {
                if self.take(i) {
                    break;
                }
            }
        }
    }

    /// What `i` adds: each aspect's chance, worth less the more the aspect is covered and
    /// the more of `i`'s key names and figures the summary mentions already, and the names
    /// and figures no chosen sentence mentions yet (a product line, a customer, a share of
    /// revenue: what facts are made of), each by the model's chance that it is part of a
    /// key fact; all worth less the more `i` repeats a chosen sentence.
    fn gain(&self, i: usize, decay: &[f64; 5]) -> f64 {
        let fresh: f64 = (0..ASPECTS.len()).map(|k| self.p[i][k] * decay[k]).sum();
        let (mut new_concepts, mut all_concepts) = (0.0, 0.0);
        for &c in &self.units[i].concepts {
            let k = self.keyness[c as usize];
            all_concepts += k;
            if !self.mentioned[c as usize] {
                new_concepts += k;
            }
        }
        let novelty = if all_concepts > 0.0 {
            1.0 - self.summarizer.model.repeated_names * (1.0 - new_concepts / all_concepts)
        } else {
            1.0
        };
        (fresh * novelty + self.summarizer.model.concept_value * new_concepts)
            * (1.0 - self.overlap[i])
    }

    /// The rest of the budget, the best gain per token at a time.
    fn fill(&mut self) {
        let mut skipped = vec![false; self.units.len()];
        loop {
            // each aspect's worth now, the same for every candidate of this round
            let decay = self.covered.map(|c| DEPTH_DECAY.powf(c));
            let best = (0..self.units.len())
                .filter(|&i| !skipped[i] && self.open(i))
                .filter(|&i| self.used + self.units[i].estimated_tokens / 2 <= self.budget)
                .filter_map(|i| {
                    let mut cost = 0;
                    let mut gain = 0.0;
                    for j in self.bundle(i)?.into_iter().filter(|&j| !self.taken[j]) {
                        cost += self.units[j].estimated_tokens;
                        gain += self.gain(j, &decay);
                    }
                    let length_power = self.summarizer.model.length_power;
                    Some((gain / (cost.max(1) as f64).powf(length_power), i))
                })
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let Some((_, i)) = best else { break };
            if !self.take(i) {
                skipped[i] = true;
            }
        }
    }
}

/// The order a reader meets the `chosen` sentences in: the first `opening` ones (the
/// sentence that says what the company is, with what it needs) first, wherever they stand
/// in the section, together with the sentences that point back to them; then the rest in
/// document order. Each group is in document order, so a sentence that points back still
/// follows the one it points to.
fn reading_order(units: &[Unit], mut chosen: Vec<usize>, opening: usize) -> Vec<usize> {
    let mut rest = chosen.split_off(opening);
    rest.sort_unstable();
    while let Some(at) = rest.iter().position(|&j| {
        units[j].back_reference && units[j].previous.is_some_and(|p| chosen.contains(&p))
    }) {
        chosen.push(rest.remove(at));
    }
    chosen.sort_unstable();
    chosen.extend(rest);
    chosen
}

/// How much two sentences say the same, from their content words (sorted, distinct ids):
/// their Jaccard similarity, or 1 when the shorter one's words are nearly all in the longer
/// one ("We are a consulting company serving small businesses." inside a long sentence that
/// opens with the same words), however much more the longer one says.
fn overlap(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = shared(a, b) as f64;
    if inter / a.len().min(b.len()) as f64 >= CONTAINED {
        return 1.0;
    }
    inter / ((a.len() + b.len()) as f64 - inter)
}

/// How many ids two sorted, distinct id lists have in common.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter
}

impl Summarizer for Extractive {
    fn summarize(&self, section: &str) -> anyhow::Result<Summary> {
        let mut picked = self.select(section, self.max_tokens);
        // joining can merge tokens differently than counting apart: re-check the whole, as
        // printed on a line of its own (`tenk summarize`), where the line end after the last
        // stop can be a token of its own ("19.3%." then "\n")
        let over = |text: &str| self.tokenizer.count(&format!("{text}\n")) > self.max_tokens;
        let mut text = picked.join(" ");
        while over(&text) && !picked.is_empty() {
            picked.pop();
            text = picked.join(" ");
        }
        let tokens = self.tokenizer.count(&text);
        Ok(Summary {
            text,
            tokens,
            truncated: false,
            usage: None,
        })
    }

    fn name(&self) -> &'static str {
        "extractive"
    }

    fn model(&self) -> Option<String> {
        None
    }

    fn prompt_sha256(&self) -> Option<String> {
        None
    }

    fn tokenizer(&self) -> &'static str {
        self.tokenizer.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unit of `section` whose text starts with `start`.
    fn unit_at(section: &Section, start: &str) -> usize {
        section
            .units
            .iter()
            .position(|u| u.text.starts_with(start))
            .unwrap()
    }

    fn seed_section() -> String {
        let seed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/seed/000_9411cdd0ca688e67.txt"
        ))
        .unwrap();
        let i = seed.find("Item 1. BUSINESS").unwrap();
        seed[i..].to_string()
    }

    #[test]
    fn seed_summary_is_within_budget_verbatim_and_deterministic() {
        let s = Extractive::new(Tokenizer::by_name("cl100k_base").unwrap(), 512);
        let section = seed_section();
        let a = s.summarize(&section).unwrap();
        let b = s.summarize(&section).unwrap();
        assert_eq!(a.text, b.text);
        assert!(a.tokens <= 512 && a.tokens > 200, "{} tokens", a.tokens);
        let flat = section.split_whitespace().collect::<Vec<_>>().join(" ");
        for sent in crate::summarize::sentences::split(&a.text) {
            assert!(flat.contains(sent), "not verbatim: {sent}");
        }
    }

    #[test]
    fn a_summary_stays_within_the_budget_as_printed_on_its_line() {
        let tokenizer = Tokenizer::by_name("cl100k_base").unwrap();
        let text = "We are a leading maker of industrial pumps for water utilities. \
            Sales of our pumps to utilities grew by approximately 19.3%.";
        let alone = tokenizer.count(text);
        let printed = tokenizer.count(&format!("{text}\n"));
        assert_eq!(
            printed,
            alone + 1,
            "the line end is a token of its own here"
        );
        let s = Extractive::new(tokenizer, alone);
        let summary = s.summarize(text).unwrap();
        assert!(
            tokenizer.count(&format!("{}\n", summary.text)) <= alone,
            "{summary:?}"
        );
    }

    #[test]
    fn a_sentence_that_points_back_comes_with_the_one_before_or_not_at_all() {
        let s = Extractive::new(Tokenizer::by_name("cl100k_base").unwrap(), 60);
        let section = "We are a leading maker of industrial pumps for water utilities.\n\n\
            Our largest customer accounted for 31% of our revenue in the year. \
            These customers buy our pumps through independent dealers and distributors.";
        let picked = s.select(section, 60);
        if let Some(i) = picked.iter().position(|t| t.starts_with("These")) {
            assert!(
                i > 0 && picked[i - 1].starts_with("Our largest customer"),
                "{picked:?}"
            );
        }
        assert!(picked[0].starts_with("We are a leading"), "{picked:?}");
    }

    #[test]
    fn the_sentence_that_says_what_the_company_is_leads_with_what_continues_it() {
        let text = "Our common stock is listed on the Acme Exchange under a short symbol.\n\n\
            Acme Corp. (the “Company”) makes industrial pumps for water utilities. \
            These pumps are sold through independent dealers in many states.\n\n\
            Our largest customer accounted for 31% of our revenue in the year.";
        let section = section(text);
        let at = |start: &str| unit_at(&section, start);
        let (listing, identity, pumps, customer) = (
            at("Our common"),
            at("Acme Corp."),
            at("These pumps"),
            at("Our largest"),
        );
        // the opening was taken first; the rest in the order selection took them
        let chosen = vec![identity, customer, listing, pumps];
        assert_eq!(
            reading_order(&section.units, chosen.clone(), 1),
            vec![identity, pumps, listing, customer]
        );
        // an opening of two, the sentence pointing back to its first still right after it
        assert_eq!(
            reading_order(&section.units, chosen.clone(), 2),
            vec![identity, pumps, customer, listing]
        );
        // without a sentence that says what the company is, document order
        assert_eq!(
            reading_order(&section.units, chosen, 0),
            vec![listing, identity, pumps, customer]
        );
        let s = Extractive::new(Tokenizer::by_name("cl100k_base").unwrap(), 512);
        assert!(s.select(text, 512)[0].starts_with("Acme Corp."));
    }

    #[test]
    fn past_a_preamble_the_sentence_that_clearly_says_what_the_company_is_leads() {
        let preamble = (1..=OPENING_WINDOW)
            .map(|n| {
                format!("Definition number {n} of the terms used in this document applies here.")
            })
            .collect::<Vec<_>>()
            .join(" ");
        let text = format!(
            "{preamble}\n\nOur largest customer accounted for 31% of our revenue in the year.\n\n\
             Acme develops, makes and sells industrial pumps for water utilities."
        );
        let s = Extractive::new(Tokenizer::by_name("cl100k_base").unwrap(), 512);
        assert!(s.select(&text, 512)[0].starts_with("Acme develops"));
    }

    #[test]
    fn a_sentence_inside_a_longer_one_overlaps_it_wholly() {
        let long: Vec<u32> = (0..20).collect();
        let inside: Vec<u32> = (0..8).chain([30]).collect();
        assert_eq!(overlap(&inside, &long), 1.0);
        assert_eq!(overlap(&long, &inside), 1.0);
        // half the shorter one's words are in the longer: Jaccard, 5 shared of 25 distinct
        let half: Vec<u32> = (15..25).collect();
        assert!((overlap(&half, &long) - 5.0 / 25.0).abs() < 1e-12);
        assert_eq!(overlap(&[], &long), 0.0);
    }

    #[test]
    fn a_sentence_about_names_already_mentioned_is_worth_less() {
        // no value for new names, so that only the aspects' value is compared
        let mut model = (*Model::embedded()).clone();
        model.concept_value = 0.0;
        model.repeated_names = 0.25;
        let s = Extractive::with_model(Tokenizer::by_name("cl100k_base").unwrap(), 512, model);
        let text = "We make the Acmeflo and Acmemax pumps for water utilities.\n\n\
            Acmeflo and Acmemax units lead the market in coastal regions.\n\n\
            Acmetide and Acmeriver units lead the market in coastal regions.";
        let section = section(text);
        let p = vec![[0.5; 5]; section.units.len()];
        let mut selection = Selection::new(&section, &p, &s, 512);
        let (repeats, fresh) = (1, 2);
        assert!(!section.units[repeats].concepts.is_empty());
        let decay = [1.0; 5];
        let before = [repeats, fresh].map(|i| selection.gain(i, &decay));
        assert!(selection.take(0));
        // the words they share with the chosen sentence aside
        selection.overlap.fill(0.0);
        let after = [repeats, fresh].map(|i| selection.gain(i, &decay));
        assert!(after[0] < 0.9 * before[0], "{before:?} {after:?}");
        assert_eq!(after[1], before[1]);
    }

    #[test]
    fn a_sentence_that_uses_an_abbreviation_comes_with_its_definition() {
        let s = Extractive::new(Tokenizer::by_name("cl100k_base").unwrap(), 512);
        let text = "We are a leading payments company serving consumers and merchants.\n\n\
            Our Acme Network Services (“ANS”) business partners with banks to issue cards.\n\n\
            We operate travel offices in many countries for consumers and companies.\n\n\
            In 2008, ANS signed 13 new partners to issue cards on our network worldwide.";
        let section = section(text);
        let at = |start: &str| unit_at(&section, start);
        let (defines, uses) = (at("Our Acme Network"), at("In 2008, ANS"));
        assert_eq!(section.units[uses].defined_in, Some(defines));
        assert_eq!(section.units[at("We operate")].defined_in, None);
        let p = vec![[0.5; 5]; section.units.len()];
        let mut selection = Selection::new(&section, &p, &s, 512);
        assert_eq!(selection.bundle(uses), Some(vec![defines, uses]));
        assert!(selection.take(defines));
        assert_eq!(selection.bundle(uses), Some(vec![uses]));
    }
}
