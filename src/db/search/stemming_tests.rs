//! The stemmers measured through real FTS5 (the bundled SQLite the site runs on): the
//! must-match and must-not-match tables behind the choice documented in
//! `core::arabic::search_text`, and FTS5's acceptance of every expression we build.

use std::cell::RefCell;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{expression_of, match_expression};
use crate::core::arabic::search_text::{
    ISSUE_LIGHT_AFFIXES, LightAffixes, MAX_QUERY_WORDS, MIN_STEM_CHARS, index_text,
    index_text_with, is_arabic_word, light_stem, query_words_with, snowball_stem, stems,
};

// ---- matching through real FTS5 -------------------------------------

/// A real FTS5 table in an in-memory SQLite database (the bundled one the
/// application uses), reached through diesel like the rest of the crate.
struct Fts5Probe {
    connection: RefCell<SqliteConnection>,
}

#[derive(QueryableByName)]
struct Term {
    #[diesel(sql_type = Text)]
    term: String,
}

#[derive(QueryableByName)]
struct RowId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

impl Fts5Probe {
    fn new() -> Self {
        let mut connection = SqliteConnection::establish(":memory:").unwrap();
        connection
            .batch_execute(
                "CREATE VIRTUAL TABLE article_search USING fts5(
                    title, summary, body,
                    tokenize = 'unicode61 remove_diacritics 0'
                );",
            )
            .unwrap();
        Self {
            connection: RefCell::new(connection),
        }
    }

    /// Replaces the table's content with `documents` (already index_text'ed
    /// title and body); rowids are 1-based positions.
    fn load(&self, documents: &[(String, String)]) {
        let connection = &mut *self.connection.borrow_mut();
        diesel::sql_query("DELETE FROM article_search")
            .execute(connection)
            .unwrap();
        for (position, (title, body)) in documents.iter().enumerate() {
            diesel::sql_query(
                "INSERT INTO article_search (rowid, title, summary, body)
                 VALUES (?, ?, '', ?)",
            )
            .bind::<BigInt, _>(position as i64 + 1)
            .bind::<Text, _>(title)
            .bind::<Text, _>(body)
            .execute(connection)
            .unwrap();
        }
    }

    /// The terms FTS5's own tokenizer stored for the loaded documents, in
    /// document, column and position order.
    fn stored_terms(&self) -> Vec<String> {
        let connection = &mut *self.connection.borrow_mut();
        connection
            .batch_execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS article_search_terms
                 USING fts5vocab(article_search, 'instance');",
            )
            .unwrap();
        diesel::sql_query("SELECT term FROM article_search_terms ORDER BY doc, col, offset")
            .load::<Term>(connection)
            .unwrap()
            .into_iter()
            .map(|row| row.term)
            .collect()
    }

    /// Rowids matching `expression`, best bm25 first (title weighs most).
    /// Err if FTS5 rejects the expression.
    fn search(&self, expression: &str) -> Result<Vec<i64>, String> {
        let connection = &mut *self.connection.borrow_mut();
        diesel::sql_query(
            "SELECT rowid AS id FROM article_search WHERE article_search MATCH ?
             ORDER BY bm25(article_search, 10.0, 5.0, 1.0)",
        )
        .bind::<Text, _>(expression)
        .load::<RowId>(connection)
        .map(|rows| rows.into_iter().map(|row| row.id).collect())
        .map_err(|error| error.to_string())
    }
}

type StemsOf = fn(&str) -> Vec<String>;

/// Whether `query` finds `text` (stored as an article body) in real FTS5
/// when both go through `stems_of`.
fn fts5_finds(probe: &Fts5Probe, stems_of: StemsOf, query: &str, text: &str) -> bool {
    probe.load(&[(String::new(), index_text_with(text, stems_of))]);
    match expression_of(query_words_with(query, stems_of)) {
        None => false,
        Some(expression) => !probe
            .search(&expression)
            .unwrap_or_else(|error| panic!("FTS5 rejected {expression:?}: {error}"))
            .is_empty(),
    }
}

/// (label, query, text).
type Pair = (&'static str, &'static str, &'static str);

/// (what it exercises, query, text): the query must find the text.
const MUST_MATCH: &[Pair] = &[
    ("alef أ", "الاسد", "زار الأسد حديقة الحيوان"),
    ("alef أ in query", "الأسد", "الاسد ملك الغابة"),
    ("alef إ", "اسلام", "تاريخ إسلام المغرب"),
    ("alef آ", "امن", "بلد آمن"),
    ("alef ٱ", "الله", "بسم ٱلله"),
    ("ى → ي", "مستشفي", "زار مستشفى المدينة"),
    ("ي → ى", "مستشفى", "مستشفي المدينة"),
    ("ة → ه", "مدرسه", "افتتحت المدرسة الجديدة"),
    ("ه → ة", "مدرسة", "مدرسه"),
    ("ؤ → و", "موتمر", "عقد المؤتمر الصحفي"),
    ("ئ → ي", "رييس", "قال رئيس الوزراء"),
    ("harakat in query", "مَدْرَسَة", "مدرسة"),
    ("harakat in text", "محمد", "قال مُحَمَّدٌ"),
    ("dagger alef", "هذا", "هٰذا الكتاب"),
    ("tatweel in text", "جميل", "يوم جـــميل"),
    ("tatweel in query", "جـــميل", "يوم جميل"),
    ("Arabic-Indic digits in query", "٢٠١٦", "في عام 2016"),
    ("ASCII digits in query", "2016", "في عام ٢٠١٦"),
    ("Persian digits", "۲۰۱۶", "عام ٢٠١٦"),
    ("Latin case", "UNESCO", "منظمة unesco"),
    ("Latin case reversed", "unesco", "منظمة UNESCO للتربية"),
    ("prefix و", "كتاب", "قلم وكتاب"),
    ("prefix ف", "قال", "فقال الوزير"),
    ("prefix ب", "سيارة", "جاء بسيارة"),
    ("prefix ك", "رئيس", "عمل كرئيس للجنة"),
    ("prefix ل", "وزير", "قال لوزير الخارجية"),
    ("prefix ال", "مدرسة", "المدرسة"),
    ("prefix بال", "كورونا", "بالكورونا"),
    ("prefix كال", "اسد", "شجاع كالأسد"),
    ("prefix فال", "مدرسة", "فالمدرسة مغلقة"),
    ("prefix وال", "طالب", "المعلم والطالب"),
    ("prefix لل", "طلاب", "منح للطلاب"),
    ("suffix ها", "كتاب", "قرأت كتابها"),
    ("suffix ان", "لاعب", "فاز لاعبان"),
    ("suffix ات", "سيارة", "السيارات الجديدة"),
    ("suffix ون", "مهندس", "المهندسون"),
    ("suffix ين", "مهندس", "مع المهندسين"),
    ("suffix يه", "عربي", "اللغة العربيه"),
    ("suffix ية", "عربي", "اللغة العربية"),
    ("suffix ه", "كتاب", "قرأ كتابه"),
    ("suffix ة", "جميل", "مدينة جميلة"),
    ("suffix ي", "كتاب", "هذا كتابي"),
    ("prefix and suffix", "مدرسة", "ذهبت بمدرستها"),
    ("article and plural", "معلمة", "المعلمات"),
    ("article on both", "المستشفى", "مستشفيات"),
    ("article in query only", "الكتاب", "كتاب جديد"),
    ("article and ى", "المستشفي", "زار مستشفى"),
    ("و + article in query", "والطالب", "الطالب"),
    ("ف + article in query", "فالمدرسة", "مدرسة"),
    (
        "multi-word any order",
        "مدرسة دمشق",
        "في دمشق افتتحت المدرسة",
    ),
    ("multi-word, reordered", "الخارجية وزير", "وزير الخارجية"),
    (
        "multi-word mixed scripts",
        "قمة G20",
        "انعقدت قمة مجموعة g20",
    ),
    (
        "word within a longer sentence",
        "الانتخابات",
        "أعلنت اللجنة نتائج الانتخابات البرلمانية أمس بعد فرز الأصوات",
    ),
    ("punctuation around the word", "السلام", "«السلام»، قال."),
    ("query with punctuation", "السلام؟!", "عليكم السلام"),
    ("hyphenated number", "2016", "موسم 2016-2017"),
    ("Persian keyboard", "كتاب", "کتاب"),
    ("hamza-less query with article", "المؤتمر", "موتمر"),
    ("harakat and prefix", "وَالْمُعَلِّمُ", "المعلم"),
    ("exact word still matches", "بالكورونا", "بالكورونا"),
];

/// (why, query, text): the query must NOT find the text.
const MUST_NOT_MATCH: &[Pair] = &[
    ("different pattern, same letters", "كتاب", "الكاتب الشهير"),
    ("initial alef is not a prefix", "سلام", "الإسلام"),
    ("one query word absent", "مدرسة مستشفى", "المدرسة الجديدة"),
    ("query word absent", "الانتخابات", "أعلنت اللجنة النتائج"),
    ("different digits", "2016", "عام 2017"),
    ("different digits, Eastern", "٢٠١٦", "عام 2061"),
    ("different Latin word", "unesco", "unicef"),
    ("no Latin prefix match", "apple", "applesauce"),
    ("Latin is not stemmed", "running", "run"),
    ("different roots", "قلم", "علم"),
    ("ب of a 3-letter root is kept", "حر", "البحر"),
    ("ك of a 3-letter root is kept", "لب", "الكلب"),
    ("different vowel letter", "مطار", "المطر"),
    ("different roots, shared letters", "جميل", "جمل"),
    ("م is not a prefix", "حمد", "محمد"),
    ("all words required", "وزير الخارجية", "وزير الداخلية"),
];

/// (why, query, text) pairs a light stemmer is known to conflate: measured
/// for every stemmer, not asserted, so the precision numbers stay honest.
const HARD_NEGATIVES: &[Pair] = &[
    (
        "university vs mosque (ة stripped)",
        "جامعة",
        "الجامع الكبير",
    ),
    ("loan word over-stemmed by Snowball", "كورونا", "الكور"),
    ("Lebanon vs milk (ان stripped)", "لبنان", "شرب اللبن"),
    ("statement vs BBC (ان stripped)", "بيان", "بي بي سي"),
    ("school vs teacher (ة stripped)", "مدرسة", "المدرس"),
    ("minister vs jar (و stripped)", "وزير", "زير"),
    ("safety vs mother (ان stripped)", "امان", "الأم"),
    (
        "visited vs ministry (و and ة stripped)",
        "زار",
        "وزارة الصحة",
    ),
];

/// (what it exercises, query, text) pairs a reader would want found but
/// that are beyond light stemming (or normalisation): measured for every
/// stemmer, not asserted.
const HARD_POSITIVES: &[Pair] = &[
    ("broken plural", "طالب", "الطلاب"),
    ("imperfect verb", "كتب", "يكتبون"),
    ("hamza seat spelled two ways", "مسؤول", "مسئول"),
    ("ت before a pronoun", "مدينة", "مدينتها"),
    ("و + ب + article + plural", "سيارة", "وبالسيارات"),
    ("plural + pronoun", "معلم", "معلميهم"),
    ("و + plural + pronoun", "جامعة", "وجامعاتها"),
    ("dual + pronoun", "كتاب", "كتاباهما"),
];

#[test]
fn every_must_match_pair_matches_in_fts5() {
    let probe = Fts5Probe::new();
    let misses: Vec<_> = MUST_MATCH
        .iter()
        .filter(|(_, query, text)| !fts5_finds(&probe, stems, query, text))
        .collect();
    assert!(misses.is_empty(), "not found: {misses:#?}");
}

#[test]
fn no_must_not_match_pair_matches_in_fts5() {
    let probe = Fts5Probe::new();
    let false_matches: Vec<_> = MUST_NOT_MATCH
        .iter()
        .filter(|(_, query, text)| fts5_finds(&probe, stems, query, text))
        .collect();
    assert!(
        false_matches.is_empty(),
        "wrongly found: {false_matches:#?}"
    );
}

#[test]
fn tables_are_big_enough() {
    assert!(MUST_MATCH.len() >= 40);
    assert!(MUST_NOT_MATCH.len() >= 10);
}

#[test]
fn hostile_queries_are_none_or_accepted_by_fts5() {
    let probe = Fts5Probe::new();
    probe.load(&[(index_text("near and or not"), index_text("a b نص عربي"))]);
    let long_query: String = "كلمة \"NEAR(a b)* -x OR ^y: (مدرسة) ' \\ 2016 "
        .chars()
        .cycle()
        .take(1000)
        .collect();
    let hostile = [
        "\"",
        "*",
        "-",
        "NEAR(a b)",
        "a AND OR b",
        "(",
        ")",
        ":",
        "^",
        "'",
        "\\",
        "؟",
        "!",
        ".",
        ",",
        "؟!.,",
        "\"\"",
        "a\"b",
        "title:a",
        "^a",
        "a*",
        "-a",
        "a OR",
        "NOT a",
        "AND",
        "NEAR",
        "{title body}: a",
        "a + b",
        "\u{0}",
        "\u{0345}",
        "ⓐ",
        "\u{E000}",
        "ـــ",
        "ً",
        "a\u{0301}b",
        &long_query,
    ];
    for query in hostile {
        if let Some(expression) = match_expression(query)
            && let Err(error) = probe.search(&expression)
        {
            panic!("FTS5 rejected {expression:?} for {query:?}: {error}");
        }
    }
    for nothing in [
        "\"", "*", "-", "(", ")", ":", "^", "'", "\\", "؟!.,", "ـــ", "ً",
    ] {
        assert_eq!(match_expression(nothing), None, "{nothing:?}");
    }
    assert!(
        !probe
            .search(&match_expression("NEAR(a b)").unwrap())
            .unwrap()
            .is_empty()
    );
    let long_expression = match_expression(&long_query).unwrap();
    assert!(long_expression.matches(" AND ").count() < MAX_QUERY_WORDS);
}

#[test]
fn fts5_stores_index_text_tokens_unchanged() {
    let text = "قالَ الرئيسُ: «وبالمدرسةِ ٢٠١٦ طلابٌ»؛ UNESCO's G20-قمة جـــميل کتاب 🙂 é ۱۲ ٱلله";
    let probe = Fts5Probe::new();
    probe.load(&[(String::new(), index_text(text))]);
    let ours: Vec<String> = index_text(text).split(' ').map(str::to_owned).collect();
    assert_eq!(probe.stored_terms(), ours);
}

#[test]
fn exact_word_ranks_above_stem_only_match() {
    let probe = Fts5Probe::new();
    probe.load(&[
        (String::new(), index_text("زيارة المدرس")),
        (String::new(), index_text("افتتاح المدرسة")),
        (String::new(), index_text("مدارس كثيرة")),
    ]);
    assert_eq!(
        probe.search(&match_expression("المدرسة").unwrap()).unwrap(),
        [2, 1]
    );
}

#[test]
fn title_match_ranks_above_body_match() {
    let probe = Fts5Probe::new();
    probe.load(&[
        (
            index_text("أخبار"),
            index_text("افتتاح المستشفى الجديد في المدينة"),
        ),
        (index_text("المستشفى الجديد"), index_text("أخبار المدينة")),
    ]);
    assert_eq!(
        probe.search(&match_expression("مستشفى").unwrap()).unwrap(),
        [2, 1]
    );
}

// ---- stemmer measurement -------------------------------------------

/// Larkey's light10 as published: only `و` and the article forms as
/// prefixes. Measured for comparison only.
const LIGHT10_AFFIXES: LightAffixes = LightAffixes {
    conjunctions: &["و"],
    articles: &["وال", "بال", "كال", "فال", "لل", "ال"],
    suffixes: ISSUE_LIGHT_AFFIXES.suffixes,
    min_left_after_two_letter_suffix: 2,
    prepositions: &[],
};

/// Applies the module's exclusions (non-Arabic, unchanged, too short) to
/// the raw output of one candidate stemmer.
fn single_stemmer(token: &str, raw_stem: impl Fn(&str) -> String) -> Vec<String> {
    let candidate = raw_stem(token);
    if is_arabic_word(token) && candidate != token && candidate.chars().count() >= MIN_STEM_CHARS {
        vec![candidate]
    } else {
        Vec::new()
    }
}

const CANDIDATES: &[(&str, StemsOf)] = &[
    ("none (normalisation only)", |_| Vec::new()),
    ("Snowball Arabic alone", |token| {
        single_stemmer(token, snowball_stem)
    }),
    ("light10 (Larkey) alone", |token| {
        single_stemmer(token, |t| light_stem(t, &LIGHT10_AFFIXES))
    }),
    (
        "light10 + ف ب ك ل, 3 letters after 2-letter suffix",
        |token| single_stemmer(token, |t| light_stem(t, &ISSUE_LIGHT_AFFIXES)),
    ),
    ("final: Snowball ∪ light10 + ف ب ك ل", stems),
];

#[test]
fn measure_stemmers() {
    let probe = Fts5Probe::new();
    let negatives: Vec<_> = MUST_NOT_MATCH.iter().chain(HARD_NEGATIVES).collect();
    println!(
        "{} must-match pairs, {} must-not-match pairs ({} hard)",
        MUST_MATCH.len(),
        negatives.len(),
        HARD_NEGATIVES.len()
    );
    for (name, stems_of) in CANDIDATES {
        let found = |(_, query, text): &&Pair| fts5_finds(&probe, *stems_of, query, text);
        let labels_where = |pairs: &[&Pair], want_found: bool| -> Vec<&'static str> {
            pairs
                .iter()
                .filter(|pair| found(pair) == want_found)
                .map(|pair| pair.0)
                .collect()
        };
        let positives: Vec<_> = MUST_MATCH.iter().collect();
        let misses = labels_where(&positives, false);
        let true_matches = positives.len() - misses.len();
        let false_matches = labels_where(&negatives, true);
        let hard_positives: Vec<_> = HARD_POSITIVES.iter().collect();
        let hard_found = labels_where(&hard_positives, true);
        let recall = true_matches as f64 / positives.len() as f64;
        let precision = true_matches as f64 / (true_matches + false_matches.len()).max(1) as f64;
        println!(
            "{name}: recall {true_matches}/{} = {recall:.3}, false matches {}/{}, \
             precision {precision:.3}, hard positives found {}/{}\n  \
             misses: {misses:?}\n  false matches: {false_matches:?}\n  \
             hard positives found: {hard_found:?}",
            positives.len(),
            false_matches.len(),
            negatives.len(),
            hard_found.len(),
            hard_positives.len(),
        );
    }
}
