import ArgumentParser
import Foundation
import KZQA

extension Kzqa {
    /// `kzqa index`: builds or updates the index from files and folders.
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "index",
            abstract: "Index .txt, .md and .jsonl files (folders are walked recursively).",
            discussion: """
            Incremental: unchanged files are skipped, changed ones replaced, and files once indexed from under \
            the given paths that no longer exist are removed. A file is known by its real path: two spellings of \
            one path (docs/a.txt, /home/me/docs/a.txt) are one document, shown as first given.

            A first build and --rebuild write a new file beside the index and rename it into place, so an \
            interrupted run leaves no half-built index. kzqa never writes into a file that is not a kzqa index.

            Examples:
              kzqa index seeds/
              kzqa index --rebuild --index /tmp/big.sqlite corpus/ notes.md passages.jsonl
            """
        )

        @OptionGroup var indexOption: IndexOption

        @Flag(name: .long, help: "Build a new index from scratch and swap it into place.")
        var rebuild = false

        @Flag(name: .long, help: "Replace the --index file even when it is not a kzqa index (its content is lost).")
        var force = false

        @Argument(help: "Files or folders to index (default: seeds/ in a kzqa checkout, else the bundled seed articles).")
        var paths: [String] = []

        func run() throws {
            guard let roots = paths.isEmpty ? Defaults.seedFolder().map({ [$0] }) : paths else {
                throw ValidationError("give the files or folders to index: there is no seeds/ folder here and no bundled seed articles")
            }
            let indexer = Indexer(indexPath: try indexOption.checkedPath())
            let bar = ProgressBar()
            indexer.warn = { Terminal.warning($0) }
            indexer.progress = {
                bar.update(done: $0.filesDone, total: $0.filesTotal, passages: $0.passages, phase: $0.phase,
                           bytesDone: $0.bytesDone, bytesTotal: $0.bytesTotal)
            }
            let s = try indexer.run(roots: roots, rebuild: rebuild, force: force)
            bar.finish()
            guard s.documents > 0 || s.skipped > 0 else { throw KZQAError.emptyCorpus(paths: roots) }
            // Every file skipped (warned above) and nothing else in the index: answering from it would be pointless.
            guard s.documents > 0 else {
                throw KZQAError.invalidArgument("nothing indexed from \(roots.joined(separator: ", ")): all \(s.skipped) file(s) were skipped (see the warnings above)")
            }
            print(s.detailedLine)
        }
    }
}
