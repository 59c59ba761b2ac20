import ArgumentParser
import Foundation
import KZQA

extension Kzqa {
    /// `kzqa analyze`: shows what the French analysis makes of a text, or stems words read on stdin.
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "analyze",
            abstract: "Show the analysis of a text: tokens, folded forms, stems, stopwords.",
            discussion: """
            --lexicon adds each word's lemmas and parts of speech from Grammalecte's dictionary (hunspell).

            Examples:
              kzqa analyze "L’intelligence artificielle au Kazakhstan"
              kzqa analyze --lexicon "Les élus réunis à Astana"
              echo ministère | kzqa analyze --stem      # prints: ministère<TAB>minister
            """
        )

        @Flag(name: .long, help: "Stem words: one lowercase word a line on stdin (or the words of TEXT), printed as word<TAB>stem.")
        var stem = false

        @Flag(name: .long, help: "Also show each word's lemmas and parts of speech (Grammalecte's dictionary through hunspell).")
        var lexicon = false

        @Argument(help: "The text to analyse.")
        var text: [String] = []

        func run() throws {
            let joined = text.joined(separator: " ")
            if stem {
                let stemmer = FrenchStemmer()
                if text.isEmpty {
                    var out = ""
                    while let line = readLine(strippingNewline: true) {
                        let word = line.trimmingCharacters(in: .whitespacesAndNewlines)
                        if word.isEmpty { continue }
                        out += "\(word)\t\(stemmer.stem(word))\n"
                        if out.utf8.count > 1 << 16 { print(out, terminator: ""); out = "" }
                    }
                    print(out, terminator: "")
                } else {
                    for word in joined.split(whereSeparator: { $0.isWhitespace }) {
                        print("\(word)\t\(stemmer.stem(String(word)))")
                    }
                }
                return
            }
            guard !joined.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("give a TEXT to analyse, or --stem to stem words read on stdin")
            }
            let tokens = FrenchAnalyzer().analyze(joined)
            let folder = FrenchAnalyzer(filters: [ElisionFilter()])
            let folded = Dictionary(folder.analyze(joined).map { ("\($0.start)-\($0.kind)", Folding.stripDiacritics($0.term)) },
                                    uniquingKeysWith: { a, _ in a })
            let dictionary = lexicon ? try FrenchLexicon() : nil
            print(Terminal.bold("token\tbytes\tkind\tfolded\tstem\tstopword" + (lexicon ? "\tlemmas\tparts of speech" : "")))
            for t in tokens {
                let f = folded["\(t.start)-\(t.kind)"] ?? t.term
                var line = "\(t.surface)\t\(t.start)..<\(t.end)\t\(t.kind.rawValue)\t\(f)\t\(t.isStopword ? "-" : t.term)\t\(t.isStopword ? "yes" : "no")"
                if let dictionary, t.kind == .word || t.kind == .compound {
                    let e = dictionary.entry(t.surface)
                    let pos = e.partsOfSpeech.map(\.rawValue).sorted().joined(separator: " ")
                    line += "\t\(e.isKnown ? e.lemmas.joined(separator: " ") : "(unknown)")\t\(pos.isEmpty ? "-" : pos)"
                }
                print(line)
            }
            let sentences = SentenceSplitter().split(joined)
            let bytes = Array(joined.utf8)
            print(Terminal.bold("sentences: \(sentences.count)"))
            for (i, r) in sentences.enumerated() {
                print("[\(i + 1)] \(r.lowerBound)..<\(r.upperBound) \(String(decoding: bytes[r], as: UTF8.self))")
            }
        }
    }
}
