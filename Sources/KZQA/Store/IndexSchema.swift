/// The SQLite schema of a kzqa index, and its version. An index whose stored version differs is refused
/// (`KZQAError.indexIncompatible`) rather than read differently.
///
/// The FTS5 table holds pre-analysed terms (folded Snowball stems) under the stock `unicode61` tokenizer,
/// so any SQLite tool can query it: `SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'kazakhstan'`.
public enum IndexSchema {
    /// Bump when tables, analysis or weighting change in a way old files cannot be read by
    /// (v5: the lexicon's readings tell cardinal numbers (`numeral`) from other closed classes; v4: the `postings`, `passage_lengths` and `term_df` tables of `PostingsSchema`, vectors keep counts only, the `passage_analysis` table of `PassageAnalysis`; v3: the `lexicon` and `lemmas` tables; v2: documents keep their real path and whether their passages
    /// stand alone; meta keeps the source paths).
    public static let version = "5"
    /// `PRAGMA application_id` of every kzqa index ('KZQA'): stored in the file header, so a file can be told to
    /// be kzqa's before it is written into, even when its tables cannot be read.
    public static let applicationID: Int32 = 0x4B5A_5141
    /// Names the analysis that produced the terms; stored in `meta` and checked on open. Bump it whenever
    /// analysis output changes (v2: mark-only runs are no words, U+02BC is an apostrophe, stopwords indexed).
    public static let analyzer = "french-snowball-v2"

    /// The FTS5 table's columns and tokenizer, shared by the index and `FTS5Scratch`.
    static let ftsColumns = #"terms, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'""#

    public static let createSQL = """
    CREATE TABLE IF NOT EXISTS meta(
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS documents(
        id         INTEGER PRIMARY KEY,
        path       TEXT NOT NULL,
        real_path  TEXT NOT NULL UNIQUE,
        title      TEXT NOT NULL,
        hash       TEXT NOT NULL,
        bytes      INTEGER NOT NULL,
        standalone INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS passages(
        id        INTEGER PRIMARY KEY,
        doc_id    INTEGER NOT NULL REFERENCES documents(id),
        pid       TEXT NOT NULL,
        title     TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        start     INTEGER NOT NULL,
        end       INTEGER NOT NULL,
        text      TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
    CREATE INDEX IF NOT EXISTS passages_pid ON passages(pid);
    CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(\(ftsColumns));
    CREATE TABLE IF NOT EXISTS terms(
        id   INTEGER PRIMARY KEY,
        term TEXT NOT NULL UNIQUE,
        df   INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS synonyms(
        term    TEXT NOT NULL,
        synonym TEXT NOT NULL,
        rank    INTEGER NOT NULL,
        PRIMARY KEY(term, synonym)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS lexicon(
        form     TEXT PRIMARY KEY,
        term     TEXT NOT NULL,
        known    INTEGER NOT NULL,
        readings TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS lemmas(
        lemma TEXT NOT NULL,
        term  TEXT NOT NULL,
        PRIMARY KEY(lemma, term)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS vectors(
        passage_id INTEGER PRIMARY KEY REFERENCES passages(id),
        length     INTEGER NOT NULL,
        tf         BLOB NOT NULL
    );
    \(PostingsSchema.createSQL)
    """ + PassageAnalysis.createSQL
}
