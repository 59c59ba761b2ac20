// swift-tools-version: 6.1
import PackageDescription

/// The C libraries of the system-library targets (their module maps name none, so that the build chooses): the
/// shared libraries in a debug build, their static archives in the release build (the Debian -dev packages ship
/// both), so that the loader maps and relocates none of them before the first question. `staticOnly` are what an
/// archive needs that its shared library brings along (libedit's libtinfo, libbsd and libmd).
func cLibraries(_ names: [String], staticOnly: [String] = []) -> [LinkerSetting] {
    names.map { LinkerSetting.linkedLibrary($0, .when(configuration: .debug)) }
        + [.unsafeFlags((names + staticOnly).flatMap { ["-Xlinker", "-l:lib\($0).a"] }, .when(configuration: .release))]
}

/// The release binary carries the Swift runtime and Foundation inside it (`-static-stdlib`, as
/// `swift build --static-swift-stdlib` does, for kzqa's own modules): the dynamic loader then binds a few system
/// libraries rather than a dozen Swift ones, a quarter of the instructions of a one-shot `kzqa ask` (callgrind,
/// benchmarks/results/startup.md). Debug builds, which the tests use, stay dynamic.
/// It is linked by the toolchain's lld with packed relative relocations (DT_RELR, glibc 2.36: the loader applies the
/// binary's hundred thousand pointer fix-ups from a 20 kB bitmap instead of 2.5 MB of entries) and without exporting
/// its symbols (nothing loads into kzqa, so its pointers to its own functions are fixed up without a symbol lookup):
/// 1.25M fewer instructions before `main`.
let staticRelease = (
    swift: [SwiftSetting.unsafeFlags(["-static-stdlib"], .when(configuration: .release))],
    linker: [LinkerSetting.unsafeFlags(["-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                                        "-Xlinker", "--no-export-dynamic"], .when(configuration: .release))]
)

let package = Package(
    name: "kzqa",
    products: [
        .executable(name: "kzqa", targets: ["kzqa"]),
        .library(name: "KZQA", targets: ["KZQA"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // The HTTP server of `kzqa serve`; its default traits (swift-configuration, full Foundation) are not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CBLAS", providers: [.apt(["libblas-dev"])]),
        .systemLibrary(name: "CEditLine", providers: [.apt(["libedit-dev"])]),
        // libhunspell with Grammalecte's French dictionary (hunspell-fr-comprehensive): lemmas and parts of speech.
        .systemLibrary(name: "CHunspell", providers: [.apt(["libhunspell-dev"])]),
        // zlib, to read FreeDict's gzip-compressed dictd files (English questions).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // The seed articles (Resources/seeds links to seeds/) are bundled so that the default index can be built
        // from any working directory.
        .target(
            name: "KZQA",
            dependencies: ["CSQLite", "CBLAS", "CHunspell", "CZlib"],
            resources: [.copy("Resources/seeds")],
            swiftSettings: staticRelease.swift,
            linkerSettings: cLibraries(["sqlite3", "blas", "hunspell-1.7", "z"])
        ),
        // `kzqa serve`: the JSON API and the web page over a pool of read-only engines (Hummingbird).
        .target(
            name: "KZQAServer",
            dependencies: [
                "KZQA",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: staticRelease.swift
        ),
        .executableTarget(
            name: "kzqa",
            dependencies: [
                "KZQA", "KZQAServer", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticRelease.swift,
            linkerSettings: staticRelease.linker + cLibraries(["edit"], staticOnly: ["tinfo", "bsd", "md"])
        ),
        // The fuzz invariants and the seeded input generator, shared by kzqa-fuzz and the tests.
        .target(
            name: "KZQAFuzzing",
            dependencies: ["KZQA"],
            swiftSettings: staticRelease.swift
        ),
        // Runs random Unicode through analysis and query building for a bounded time (scripts/fuzz.sh).
        .executableTarget(
            name: "kzqa-fuzz",
            dependencies: ["KZQA", "KZQAFuzzing"],
            swiftSettings: staticRelease.swift,
            linkerSettings: staticRelease.linker
        ),
        .testTarget(
            name: "KZQATests",
            dependencies: [
                "KZQA", "KZQAFuzzing", "KZQAServer", "CSQLite", "kzqa",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            resources: [.copy("Fixtures")]
        ),
    ]
)
