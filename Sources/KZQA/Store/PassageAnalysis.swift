import CSQLite
import Foundation

/// One sentence of a passage as the answer layer reads it: its text, its byte range in the passage's text, and
/// its tokens as `FrenchAnalyzer.analyze` gives them for the sentence alone (offsets within the sentence).
public struct AnalysedSentence: Sendable, Equatable {
    public var text: String
    /// Byte offsets in the passage's text.
    public var start: Int
    public var end: Int
    public var tokens: [Token]

    /// The sentences of a passage's text, split by `SentenceSplitter` and each analysed on its own: what the indexer
    /// stores and what `AnswerComposer` computes for a passage without stored sentences.
    public static func split(_ text: String, analyzer: FrenchAnalyzer = FrenchAnalyzer(),
                             splitter: SentenceSplitter = SentenceSplitter()) -> [AnalysedSentence] {
        split(text, splitter: splitter) { analyzer.analyze($0) }
    }

    /// `split(text, analyzer:)`, the same sentences, with the filtered tokens memoised in `cache` (the indexer's
    /// analysis threads, which have just analysed the same words for the passage's terms).
    static func split(_ text: String, analyzer: FrenchAnalyzer, cache: inout AnalysisCache) -> [AnalysedSentence] {
        split(text, splitter: SentenceSplitter()) { analyzer.analyze($0, cache: &cache) }
    }

    /// The sentences of a passage's text and its index terms (`analyzer.indexTerms(text, cache:)`, the same terms
    /// and the same forms gathered in `cache.newForms`), from one tokenization: the passage's tokens are its
    /// sentences' tokens in order. Sentences are separated by white space alone, after a terminator (`.`, `!`,
    /// `?`, `…`, closing marks), so two neighbouring sentences are at least two scalars apart, and the tokenizer
    /// joins across exactly one (a number's group space, a decimal comma, an apostrophe, a hyphen, an acronym's
    /// period) and looks one scalar (or a space and one) past a number for `%`, `€`, `$`, none of them white
    /// space or a terminator. The stock filters read each token alone (`filtersArePerToken`); other filters
    /// take the two-pass way. `sentences`: the passage's sentence ranges when known (`Chunker.Chunk`).
    /// `PassageAnalysisTests` checks the equality on the seeds and on generated text.
    static func analysed(_ text: String, sentences known: [Range<Int>]?, analyzer: FrenchAnalyzer,
                         cache: inout AnalysisCache) -> (sentences: [AnalysedSentence], terms: [String]) {
        guard analyzer.filtersArePerToken else { return twoPasses(text, analyzer: analyzer, cache: &cache) }
        let bytes = Array(text.utf8)
        let ranges = known ?? SentenceSplitter().split(text)
        var sentences: [AnalysedSentence] = []
        sentences.reserveCapacity(ranges.count)
        var terms: [String] = []
        terms.reserveCapacity(bytes.count / 5)
        for r in ranges {
            let sentence = String(decoding: bytes[r], as: UTF8.self)
            let tokens = analyzer.tokenizer.tokenize(sentence)
            var out: [Token] = []
            out.reserveCapacity(tokens.count)
            for token in tokens {
                switch cache.token(token, by: analyzer.filters, reporting: true) {
                case .kept(let t):
                    out.append(t)
                    terms.append(t.term)
                case .dropped: break
                // Never with the stock filters; the forms already gathered are gathered again (harmless).
                case .several: return twoPasses(text, analyzer: analyzer, cache: &cache)
                }
            }
            sentences.append(AnalysedSentence(text: sentence, start: r.lowerBound, end: r.upperBound, tokens: out))
        }
        return (sentences, terms)
    }

    /// `analysed(…)` the way it was first done: the passage's terms, then each sentence tokenized again.
    static func twoPasses(_ text: String, analyzer: FrenchAnalyzer,
                          cache: inout AnalysisCache) -> (sentences: [AnalysedSentence], terms: [String]) {
        let terms = analyzer.indexTerms(text, cache: &cache)
        return (split(text, analyzer: analyzer, cache: &cache), terms)
    }

    private static func split(_ text: String, splitter: SentenceSplitter, analyze: (String) -> [Token]) -> [AnalysedSentence] {
        let bytes = Array(text.utf8)
        return splitter.split(text).map { r in
            let sentence = String(decoding: bytes[r], as: UTF8.self)
            return AnalysedSentence(text: sentence, start: r.lowerBound, end: r.upperBound, tokens: analyze(sentence))
        }
    }
}

/// What a passage's neighbouring paragraphs lend it (see `NeighbourContext`), analysed: each lending text's kind,
/// the terms it lends (content terms; only the names for an antecedent) and its length in index terms. The
/// retriever weighs the kinds (`RetrievalSettings`), so the stored form holds no knob.
public struct NeighbourLoan: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var kind: NeighbourContext.Kind
        public var terms: [String]
        public var length: Int
    }
    public var items: [Item]
    /// Whether the passage is a bibliography entry (`NeighbourContext.isReferenceEntry`).
    public var isReference: Bool

    /// The loan of a paragraph `text` with the paragraphs right before and after it in its document and its title.
    public static func of(_ text: String, previous: String?, next: String?, title: String?,
                          analyzer: FrenchAnalyzer = FrenchAnalyzer()) -> NeighbourLoan {
        of(text, previous: previous, next: next, title: title) { analyzer.analyze($0) }
    }

    /// `of(text, …, analyzer:)`, the same loan, with the filtered tokens memoised in `cache` (the indexer).
    static func of(_ text: String, previous: String?, next: String?, title: String?, analyzer: FrenchAnalyzer,
                   cache: inout AnalysisCache) -> NeighbourLoan {
        of(text, previous: previous, next: next, title: title) { analyzer.analyze($0, cache: &cache) }
    }

    private static func of(_ text: String, previous: String?, next: String?, title: String?,
                           analyze: (String) -> [Token]) -> NeighbourLoan {
        var items: [Item] = []
        for (lending, kind) in NeighbourContext.context(of: text, previous: previous, next: next, title: title) {
            let tokens = analyze(lending)
            let lent: [String]
            switch kind {
            case .attribution, .byline, .quotation: lent = tokens.filter { !$0.isStopword }.map(\.term)
            // Only the names: they are whom the pronoun may stand for.
            case .antecedent: lent = SentenceScorer.names(tokens).flatMap { $0 }
            }
            items.append(Item(kind: kind, terms: lent, length: kind == .antecedent ? lent.count : tokens.count))
        }
        return NeighbourLoan(items: items, isReference: NeighbourContext.isReferenceEntry(text))
    }
}

/// The table `passage_analysis`: for each passage what does not depend on the question — its sentences with their
/// tokens, and what its neighbours lend it — computed once by the indexer and read back by primary key, so a
/// question only scores. One row per passage, two compact blobs (varints, UTF-8 strings; a token's surface is
/// stored only when it is not the bytes its offsets cover). `context` is NULL for a passage that stands alone.
enum PassageAnalysis {
    static let createSQL = """
    CREATE TABLE IF NOT EXISTS passage_analysis(
        passage_id INTEGER PRIMARY KEY REFERENCES passages(id),
        sentences  BLOB NOT NULL,
        context    BLOB
    );
    """

    static let kinds: [Token.Kind] = [.word, .number, .acronym, .symbol, .compound]
    static let loanKinds: [NeighbourContext.Kind] = [.attribution, .quotation, .antecedent, .byline]

    // MARK: encoding

    typealias Writer = VarintWriter

    static func encode(_ sentences: [AnalysedSentence]) -> [UInt8] {
        var w = Writer()
        w.varint(sentences.count)
        for s in sentences {
            w.varint(s.start)
            w.varint(s.end)
            w.varint(s.tokens.count)
            let utf8 = Array(s.text.utf8)
            for t in s.tokens {
                let covered = t.start >= 0 && t.start <= t.end && t.end <= utf8.count
                    && utf8[t.start..<t.end].elementsEqual(t.surface.utf8)
                let kind = kinds.firstIndex(of: t.kind) ?? 0
                w.bytes.append(UInt8(kind) | (t.isStopword ? 0x08 : 0) | (covered ? 0 : 0x10))
                w.varint(t.start)
                w.varint(t.end - t.start)
                w.varint(t.position)
                w.string(t.term)
                if !covered { w.string(t.surface) }
            }
        }
        return w.bytes
    }

    static func encode(_ loan: NeighbourLoan) -> [UInt8] {
        var w = Writer()
        w.bytes.append(loan.isReference ? 1 : 0)
        w.varint(loan.items.count)
        for item in loan.items {
            w.bytes.append(UInt8(loanKinds.firstIndex(of: item.kind) ?? 0))
            w.varint(item.length)
            w.varint(item.terms.count)
            for t in item.terms { w.string(t) }
        }
        return w.bytes
    }

    // MARK: decoding

    typealias Reader = VarintReader

    /// The sentences of a passage whose text is `text`; nil when the blob does not fit it (a damaged row).
    static func decodeSentences(_ blob: UnsafeRawBufferPointer, text: String) -> [AnalysedSentence]? {
        var r = Reader(blob)
        let passageBytes = Array(text.utf8)
        let count = r.varint()
        var out: [AnalysedSentence] = []
        out.reserveCapacity(min(count, 256))
        for _ in 0..<count {
            let start = r.varint(), end = r.varint(), n = r.varint()
            guard !r.failed, start <= end, end <= passageBytes.count else { return nil }
            let sentence = passageBytes[start..<end]
            var tokens: [Token] = []
            tokens.reserveCapacity(n)
            for _ in 0..<n {
                let flags = r.byte()
                let ts = r.varint(), length = r.varint(), position = r.varint()
                let term = r.string()
                let te = ts + length
                let surface: String
                if flags & 0x10 != 0 {
                    surface = r.string()
                } else {
                    guard te <= sentence.count else { return nil }
                    surface = String(decoding: sentence[(start + ts)..<(start + te)], as: UTF8.self)
                }
                guard !r.failed, Int(flags & 0x07) < kinds.count else { return nil }
                tokens.append(Token(surface: surface, term: term, start: ts, end: te, position: position,
                                    kind: kinds[Int(flags & 0x07)], isStopword: flags & 0x08 != 0))
            }
            out.append(AnalysedSentence(text: String(decoding: sentence, as: UTF8.self), start: start, end: end, tokens: tokens))
        }
        return r.failed ? nil : out
    }

    static func decodeLoan(_ blob: UnsafeRawBufferPointer) -> NeighbourLoan? {
        var r = Reader(blob)
        let isReference = r.byte() != 0
        let count = r.varint()
        var items: [NeighbourLoan.Item] = []
        for _ in 0..<count {
            let kind = Int(r.byte()), length = r.varint(), n = r.varint()
            guard !r.failed, kind < loanKinds.count else { return nil }
            var terms: [String] = []
            for _ in 0..<n { terms.append(r.string()) }
            items.append(NeighbourLoan.Item(kind: loanKinds[kind], terms: terms, length: length))
        }
        return r.failed ? nil : NeighbourLoan(items: items, isReference: isReference)
    }
}

/// A passage's stored analysis as the query side reads it.
public enum StoredLoan: Sendable, Equatable {
    /// The index has no row for the passage: compute it (`NeighbourLoan.of`).
    case missing
    /// The passage stands alone (a JSONL record): its neighbours lend it nothing.
    case standsAlone
    case loan(NeighbourLoan)
}

extension IndexStore {
    /// The stored sentences of the passage `rowid`, whose text is `text`; nil when the index has none for it.
    public func sentences(rowid: Int64, text: String) throws -> [AnalysedSentence]? {
        try wrap {
            try db.fetchOne("SELECT sentences FROM passage_analysis WHERE passage_id = ?", [.int(rowid)]) { s in
                s.withBlob(0) { PassageAnalysis.decodeSentences($0, text: text) }
            }
        }
    }

    /// What the neighbours of the passage `rowid` lend it, as stored by the indexer.
    public func neighbourLoan(rowid: Int64) throws -> StoredLoan {
        try wrap {
            try db.fetchOne("SELECT context FROM passage_analysis WHERE passage_id = ?", [.int(rowid)]) { s -> StoredLoan? in
                if s.isNull(0) { return .standsAlone }
                return s.withBlob(0) { PassageAnalysis.decodeLoan($0) }.map { .loan($0) } ?? .missing
            } ?? .missing
        }
    }
}
