// kzqa-fuzz: runs arbitrary text through analysis and query building and checks their invariants
// (the invariants and the input generator live in Sources/KZQAFuzzing, which the tests share). Two builds of
// this one target, driven by scripts/fuzz.sh:
//
// - libFuzzer (coverage-guided):
//     swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address \
//       -Xswiftc -DKZQA_LIBFUZZER --product kzqa-fuzz
//   `LLVMFuzzerTestOneInput` is the entry point; the top-level code below hands control to libFuzzer's driver
//   (`LLVMFuzzerRunDriver`), so every libFuzzer flag works: `kzqa-fuzz CORPUS -max_total_time=600 -dict=…`.
//   SwiftPM always gives an executable target an entry point of its own, so libFuzzer's `main` cannot be used.
// - plain (any toolchain): a seeded random generator of adversarial Unicode and of mutated seed sentences,
//   for a time budget: `kzqa-fuzz --seconds 600 [--seed N]`. `--replay FILE…` checks given inputs,
//   `--emit-corpus DIR` writes generated inputs and seed sentences as a starting corpus (both builds).
//
// A broken invariant prints the check, what was seen and the input as a Swift literal, then exits non-zero
// (libFuzzer build: aborts, so libFuzzer saves the input as a crash-* artifact).
//
// Environment: KZQA_FUZZ_SEEDS (folder of seed articles, default ./seeds), KZQA_FUZZ_WORK (folder for the
// index `ask` is checked against, default a temporary folder), KZQA_FUZZ_ASK=0 (skip `QAEngine.ask`).
import Foundation
import KZQA
import KZQAFuzzing
#if canImport(Glibc)
import Glibc
#endif

/// Settings and the shared checker, set up once per process.
enum Session {
    static let environment = ProcessInfo.processInfo.environment
    static let seedsFolder: String = {
        if let s = environment["KZQA_FUZZ_SEEDS"], !s.isEmpty { return s }
        let nearSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seeds").path
        return FileManager.default.fileExists(atPath: "seeds") ? "seeds" : nearSources
    }()
    static let askEnabled = environment["KZQA_FUZZ_ASK"] != "0"

    nonisolated(unsafe) static var checker: Checker?

    /// The checker, building the index for `ask` on first use.
    static func sharedChecker() -> Checker {
        if let c = checker { return c }
        do {
            var index: String?
            if askEnabled {
                let work = environment["KZQA_FUZZ_WORK"].flatMap { $0.isEmpty ? nil : $0 }
                    ?? NSTemporaryDirectory() + "kzqa-fuzz-\(getpid())"
                index = try Checker.buildIndex(seeds: seedsFolder, folder: work)
            }
            let c = try Checker(index: index)
            checker = c
            return c
        } catch {
            FileHandle.standardError.write(Data("kzqa-fuzz: cannot set up (\(error)); seeds: \(seedsFolder)\n".utf8))
            exit(2)
        }
    }

    static func report(_ finding: Finding, input: String) {
        var literal = swiftLiteral(input)
        if literal.count > 2000 { literal = String(literal.prefix(2000)) + "… (cut; the whole input is saved)" }
        var detail = finding.detail
        if detail.count > 2000 { detail = String(detail.prefix(2000)) + "…" }
        let message = """
            kzqa-fuzz: FINDING in \(finding.check): \(detail)
            input (\(input.utf8.count) bytes): \(literal)

            """
        FileHandle.standardError.write(Data(message.utf8))
    }
}

/// libFuzzer's entry point: one input, as UTF-8 (invalid sequences become U+FFFD, as in `kzqa ask`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = data.map { String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self) } ?? ""
    do {
        try Session.sharedChecker().check(text)
    } catch let finding as Finding {
        Session.report(finding, input: text)
        abort()
    } catch {
        Session.report(Finding(check: "harness", detail: "\(error)"), input: text)
        abort()
    }
    return 0
}

let arguments = Array(CommandLine.arguments.dropFirst())

if arguments.first == "--emit-corpus" {
    exit(emitCorpus(arguments))
}

#if KZQA_LIBFUZZER
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

// Build the index before libFuzzer starts timing inputs.
_ = Session.sharedChecker()
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzz))
#else
exit(RandomDriver.main(arguments))
#endif
