// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "kzqa",
    products: [
        .executable(name: "kzqa", targets: ["kzqa"]),
        .library(name: "KZQA", targets: ["KZQA"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
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
            resources: [.copy("Resources/seeds")]
        ),
        .executableTarget(
            name: "kzqa",
            dependencies: [
                "KZQA", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The fuzz invariants and the seeded input generator, shared by kzqa-fuzz and the tests.
        .target(
            name: "KZQAFuzzing",
            dependencies: ["KZQA"]
        ),
        // Runs random Unicode through analysis and query building for a bounded time (scripts/fuzz.sh).
        .executableTarget(
            name: "kzqa-fuzz",
            dependencies: ["KZQA", "KZQAFuzzing"]
        ),
        .testTarget(
            name: "KZQATests",
            dependencies: ["KZQA", "KZQAFuzzing", "CSQLite", "kzqa"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
