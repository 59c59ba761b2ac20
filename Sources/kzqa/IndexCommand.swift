import ArgumentParser
import Foundation
import KZQA

extension Kzqa {
    /// `kzqa index`: builds or updates the index from files and folders.
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Index .txt, .md and .jsonl files (folders are walked recursively).",
            discussion: """
            Incremental: unchanged files are skipped, changed ones replaced, and files once indexed from under
            the given paths that no longer exist are removed.

            Examples:
              kzqa index seeds/
              kzqa index --rebuild --index /tmp/big.sqlite corpus/ notes.md passages.jsonl
            """
        )

        @OptionGroup var indexOption: IndexOption

        @Flag(name: .long, help: "Build a new index from scratch and swap it into place.")
        var rebuild = false

        @Argument(help: "Files or folders to index (default: seeds/).")
        var paths: [String] = []

        func run() throws {
            let roots = paths.isEmpty ? [Defaults.corpusFolder] : paths
            let indexer = Indexer(indexPath: try indexOption.checkedPath())
            let bar = ProgressBar()
            indexer.warn = { Terminal.warning($0) }
            indexer.progress = {
                bar.update(done: $0.filesDone, total: $0.filesTotal, passages: $0.passages, phase: $0.phase,
                           bytesDone: $0.bytesDone, bytesTotal: $0.bytesTotal)
            }
            let s = try indexer.run(roots: roots, rebuild: rebuild)
            bar.finish()
            guard s.documents > 0 || s.skipped > 0 else { throw KZQAError.emptyCorpus(paths: roots) }
            // Every file skipped (warned above) and nothing else in the index: answering from it would be pointless.
            guard s.documents > 0 else {
                throw KZQAError.invalidArgument("nothing indexed from \(roots.joined(separator: ", ")): all \(s.skipped) file(s) were skipped (see the warnings above)")
            }
            print("indexed \(s.documents) documents, \(s.passages) passages, \(s.terms) terms in \(String(format: "%.2f", s.seconds)) s"
                  + " (\(s.added) added, \(s.updated) updated, \(s.removed) removed, \(s.unchanged) unchanged, \(s.skipped) skipped)")
        }
    }
}
