//! "Did you mean …?" for mistyped keys.

/// The known word closest to `word`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&word_l, k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_close_words_only() {
        let known = ["reviewed", "review_due", "title"];
        assert_eq!(super::did_you_mean("reviewd", &known), Some("reviewed"));
        assert_eq!(super::did_you_mean("tittle", &known), Some("title"));
        assert_eq!(super::did_you_mean("banana", &known), None);
    }
}
