import Foundation

/// Splits Unicode text into word, number, acronym and symbol tokens, keeping UTF-8 byte offsets into the original.
///
/// French specifics handled here, before any filter runs:
/// - apostrophes inside words stay (`l’intelligence` is one token; the elision filter strips `l’`);
/// - hyphenated words yield their parts and, when no part is a clitic (`a-t-il`) or a number (`COVID-19`),
///   the joined compound (`e-Gov` → `e`, `gov`, compound `egov`);
/// - numbers written the French way are one token: `67 000` (space, U+00A0 or U+202F) → `67000`,
///   `1,2` → `1_2`, ordinals `1er`, `24ᵉ` → `24e`; `%`, `€`, `$` right after a number (or after one space)
///   are the tokens `pourcent`, `euro`, `dollar`;
/// - dotted acronyms `O.N.U.` (or `O.N.U`) → `onu`.
///
/// ```swift
/// Tokenizer().tokenize("Les 67 000 élèves").map(\.term) // ["les", "67000", "élèves"]
/// ```
public struct Tokenizer: Sendable {
    public init() {}

    /// A maximal run of letters, marks and digits, with its byte range.
    private struct Segment {
        var start: Int, end: Int, scalarStart: Int, scalarEnd: Int
        var allDigits: Bool
        var isSingleUppercase: Bool
    }

    public func tokenize(_ text: String) -> [Token] {
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(text.utf8.count)
        offsets.reserveCapacity(text.utf8.count + 1)
        var byte = 0
        for s in text.unicodeScalars {
            scalars.append(s)
            offsets.append(byte)
            byte += UTF8.width(s)
        }
        offsets.append(byte)
        let bytes = Array(text.utf8)

        // 1. Segments of word characters.
        var segments: [Segment] = []
        var i = 0
        while i < scalars.count {
            guard Self.isWordScalar(scalars[i]) else { i += 1; continue }
            let begin = i
            var digits = true
            while i < scalars.count, Self.isWordScalar(scalars[i]) {
                if !Self.isDigit(scalars[i]) { digits = false }
                i += 1
            }
            // A run without a letter or a number (marks alone: a stray combining accent, a vowel sign, an
            // enclosing circle; or a letter-like symbol such as 🅰) is no word: folding strips marks to an empty
            // term, and FTS5 sees no token in it. ASCII word characters are letters and digits.
            guard digits || scalars[begin..<i].contains(where: Self.isLetterOrNumber) else { continue }
            let single = i - begin == 1 && Self.isUppercase(scalars[begin])
            segments.append(Segment(start: offsets[begin], end: offsets[i], scalarStart: begin, scalarEnd: i,
                                    allDigits: digits, isSingleUppercase: single))
        }

        // 2. Join segments into groups; a group is a list of hyphen-separated parts, each part a byte range.
        var tokens: [Token] = []
        tokens.reserveCapacity(segments.count)
        var position = 0
        var k = 0
        // A group's parts and their tokens, kept from group to group (one allocation per text, not per word).
        var parts: [(start: Int, end: Int, kind: Token.Kind, term: String?)] = []
        var partTokens: [Token] = []
        while k < segments.count {
            parts.removeAll(keepingCapacity: true)
            var partStart = segments[k].start
            var partEnd = segments[k].end
            var kind: Token.Kind = segments[k].allDigits ? .number : .word
            var numberTerm: String? = segments[k].allDigits ? Self.string(bytes, partStart, partEnd) : nil
            var lastGroupDigits = segments[k].allDigits ? segments[k].end - segments[k].start : 0
            // Whether `numberTerm` has its decimal part (`1_2`): then nothing more joins it. Tracked rather than
            // searched for, and the term grown in place, so a long run of digit groups stays linear.
            var hasDecimals = false
            var acronym = segments[k].isSingleUppercase ? String(scalars[segments[k].scalarStart]) : nil
            var j = k
            while j + 1 < segments.count {
                let cur = segments[j], next = segments[j + 1]
                // The scalars between two segments (never none: segments are maximal runs).
                let gapCount = next.scalarStart - cur.scalarEnd, gap0 = scalars[cur.scalarEnd]
                if gapCount == 1, Self.isApostrophe(gap0), !cur.allDigits, !next.allDigits, kind != .acronym {
                    partEnd = next.end; kind = .word; j += 1
                    acronym = next.isSingleUppercase ? String(scalars[next.scalarStart]) : nil
                    continue
                }
                if gapCount == 1, Self.isSpaceLike(gap0), kind == .number, numberTerm != nil,
                   !hasDecimals, next.allDigits, next.end - next.start == 3, lastGroupDigits >= 1, lastGroupDigits <= 3 {
                    numberTerm?.append(Self.string(bytes, next.start, next.end))
                    partEnd = next.end; lastGroupDigits = 3; j += 1; continue
                }
                if gapCount == 1, gap0 == "," || gap0 == ".", kind == .number, numberTerm != nil,
                   !hasDecimals, next.allDigits {
                    numberTerm?.append("_" + Self.string(bytes, next.start, next.end))
                    partEnd = next.end; lastGroupDigits = 0; hasDecimals = true; j += 1; continue
                }
                // `O.N.U.`: each capital is followed by a period; the last period may be missing (`l’O.N.U`)
                // once the acronym has two letters.
                let closed = next.scalarEnd < scalars.count && scalars[next.scalarEnd] == "."
                if gapCount == 1, gap0 == ".", let a = acronym, next.isSingleUppercase, closed || kind == .acronym {
                    acronym = a + String(scalars[next.scalarStart])
                    partEnd = closed ? next.end + 1 : next.end; kind = .acronym; j += 1; continue
                }
                if gapCount == 1, Self.isHyphen(gap0) {
                    parts.append((partStart, partEnd, kind, numberTerm))
                    partStart = next.start; partEnd = next.end
                    kind = next.allDigits ? .number : .word
                    numberTerm = next.allDigits ? Self.string(bytes, next.start, next.end) : nil
                    lastGroupDigits = next.allDigits ? next.end - next.start : 0
                    hasDecimals = false
                    acronym = next.isSingleUppercase ? String(scalars[next.scalarStart]) : nil
                    j += 1; continue
                }
                break
            }
            parts.append((partStart, partEnd, kind, numberTerm))
            k = j + 1

            let groupPosition = position
            partTokens.removeAll(keepingCapacity: true)
            for p in parts {
                let surface = Self.string(bytes, p.start, p.end)
                var term = p.kind == .acronym
                    ? Folding.lowercase(surface).replacingOccurrences(of: ".", with: "")
                    : p.term.map { Folding.lowercase($0) } ?? Folding.lowercase(surface)
                var tokenKind = p.kind
                if tokenKind == .word {
                    if let ordinal = Self.ordinal(term) { term = ordinal; tokenKind = .number }
                    // Capitals first: most words fail it at their first or second letter, before any counting.
                    else if surface.unicodeScalars.allSatisfy(Self.isUppercase),
                            (2...6).contains(surface.unicodeScalars.prefix(7).count) { tokenKind = .acronym }
                }
                partTokens.append(Token(surface: surface, term: term, start: p.start, end: p.end,
                                        position: position, kind: tokenKind))
                position += 1
            }
            tokens.append(contentsOf: partTokens)
            if partTokens.count >= 2,
               partTokens.allSatisfy({ $0.kind != .number && !Self.clitics.contains($0.term) }) {
                let first = partTokens[0], last = partTokens[partTokens.count - 1]
                tokens.append(Token(surface: Self.string(bytes, first.start, last.end),
                                    term: partTokens.map(\.term).joined(), start: first.start, end: last.end,
                                    position: groupPosition, kind: .compound))
            }
            // A percent or currency sign right after a number (optionally after one space) is a token of its own.
            if let last = partTokens.last, last.kind == .number {
                var idx = Self.scalarIndex(ofByte: last.end, offsets: offsets)
                if idx < scalars.count, Self.isSpaceLike(scalars[idx]) { idx += 1 }
                if idx < scalars.count, let word = Self.symbolWords[scalars[idx]] {
                    tokens.append(Token(surface: String(scalars[idx]), term: word, start: offsets[idx],
                                        end: offsets[idx + 1], position: position, kind: .symbol))
                    position += 1
                }
            }
        }
        return tokens
    }

    /// The text of `bytes[start..<end]` (through a buffer pointer: `String(decoding:)` of an array slice takes
    /// a much slower generic path, with the same result).
    @inline(__always)
    static func string(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    // MARK: character classes

    /// Scalars of the Latin blocks (below `latinLimit`) and of General Punctuation (`’`, `–`, narrow spaces) have
    /// their classes looked up in `classes` instead of the Unicode property tables (which are slow to query).
    /// The table is `computedClasses()` written out (one digit a scalar, the sum of the bits), so that no process
    /// spends a million instructions asking the properties before its first question; `AnalysisTests` checks
    /// that it still equals `computedClasses()`. Other scripts ask the properties.
    static let latinLimit: UInt32 = 0x250
    static let punctuationBlock: ClosedRange<UInt32> = 0x2000...0x206F
    static let wordBit: UInt8 = 1, digitBit: UInt8 = 2, uppercaseBit: UInt8 = 4
    static let classes: [UInt8] = Array("""
        0000000000000000000000000000000000000000000000003333333333000000055555555555555555555555555000000111\
        1111111111111111111111100000000000000000000000000000000000000000000000100000000001000010000055555555\
        5555555555555550555555511111111111111111111111101111111151515151515151515151515151515151515151515151\
        5151515151511515151515151515115151515151515151515151515151515151515151515151551515111551515515551155\
        5515515551115515515151551511515515551515511151111111511511511515151515151515115151515151515151511511\
        5155515151515151515151515151515151515151515151515151515151515151111111551551151555515151515100000000\
        0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        0000
        """.utf8).map { $0 - 0x30 }

    /// The classes of the table's scalars from their Unicode properties: word, decimal digit, uppercase.
    static func computedClasses() -> [UInt8] {
        (Array(0..<latinLimit) + Array(punctuationBlock)).map { v in
            guard let s = Unicode.Scalar(v) else { return 0 }
            return (propertyIsWordScalar(s) ? wordBit : 0)
                | (s.properties.generalCategory == .decimalNumber ? digitBit : 0)
                | (s.properties.isUppercase ? uppercaseBit : 0)
        }
    }

    /// The slot of `s` in `classes`, nil when it is not in the table.
    @inline(__always)
    static func classSlot(_ s: Unicode.Scalar) -> Int? {
        let v = s.value
        if v < latinLimit { return Int(v) }
        if punctuationBlock.contains(v) { return Int(latinLimit + v - punctuationBlock.lowerBound) }
        return nil
    }

    static func propertyIsWordScalar(_ s: Unicode.Scalar) -> Bool {
        // ʼ (U+02BC) is a modifier letter, but here the apostrophe it stands for: it joins `lʼ` to its word
        // like ’ does, and alone it is no word (its term would be a bare `'`).
        if s == "\u{02BC}" { return false }
        let p = s.properties
        if p.isAlphabetic { return true }
        switch p.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    @inline(__always)
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        classSlot(s).map { classes[$0] & wordBit != 0 } ?? propertyIsWordScalar(s)
    }

    /// Whether `s` is a letter or a number (general category L* or N*).
    static func isLetterOrNumber(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return ("0"..."9").contains(s) || ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        classSlot(s).map { classes[$0] & digitBit != 0 } ?? (s.properties.generalCategory == .decimalNumber)
    }

    @inline(__always)
    static func isUppercase(_ s: Unicode.Scalar) -> Bool {
        classSlot(s).map { classes[$0] & uppercaseBit != 0 } ?? s.properties.isUppercase
    }
    static func isApostrophe(_ s: Unicode.Scalar) -> Bool { s == "'" || s == "\u{2019}" || s == "\u{02BC}" }
    static func isHyphen(_ s: Unicode.Scalar) -> Bool { s == "-" || s == "\u{2010}" || s == "\u{2011}" }
    static func isSpaceLike(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\u{00A0}" || s == "\u{202F}" || s == "\u{2009}"
    }

    /// Pronouns that follow a verb with a hyphen (`a-t-il`, `peut-on`): such words are not compounds.
    static let clitics: Set<String> = ["t", "il", "ils", "elle", "elles", "on", "je", "tu", "nous", "vous",
                                       "ce", "ci", "là", "le", "la", "les", "lui", "leur", "moi", "toi", "y", "en"]

    static let symbolWords: [Unicode.Scalar: String] = ["%": "pourcent", "€": "euro", "$": "dollar"]

    /// `1er`, `1re`, `1ère` → `1er`; `24e`, `24ème`, `24eme`, `24ᵉ` (already `24e` after NFKC) → `24e`.
    static func ordinal(_ term: String) -> String? {
        // An ASCII first byte that is no digit: not an ordinal (the common case, told without decoding a scalar).
        if let b = term.utf8.first, b < 0x80, !(0x30...0x39).contains(b) { return nil }
        guard let first = term.unicodeScalars.first, isDigit(first) else { return nil }
        let digits = String(term.unicodeScalars.prefix(while: isDigit))
        let suffix = String(term.unicodeScalars.drop(while: isDigit))
        switch suffix {
        case "er", "re", "ère", "ere": return digits + "er"
        case "e", "ème", "eme", "è": return digits + "e"
        default: return nil
        }
    }

    static func scalarIndex(ofByte byte: Int, offsets: [Int]) -> Int {
        var lo = 0, hi = offsets.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if offsets[mid] < byte { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
