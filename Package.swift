// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Ringside",
    // Linux only: the adapters use Glibc and the system's ncurses, libcurl and libmosquitto (scripts/setup installs
    // them). No Apple platform is built or tested, so none is declared.
    products: [
        .executable(name: "ringside", targets: ["ringside"]),
        .executable(name: "sf-emulator", targets: ["sf-emulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System libraries: each has a module map and a shim header.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(name: "CMosquitto", path: "Sources/CMosquitto"),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto"),
        .systemLibrary(name: "CSQLiteShim", path: "Sources/CSQLiteShim"),

        // Pure core: value types, state machines, ports. No I/O.
        .target(name: "RingsideCore"),

        // Adapters.
        .target(name: "RingsideStore", dependencies: [
            "RingsideCore", "CSQLiteShim", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "RingsideCurl", dependencies: ["CCurl"]),
        .target(name: "RingsideSalesforce", dependencies: ["RingsideCore", "RingsideCurl", "CCrypto"]),
        .target(name: "RingsidePhone", dependencies: ["RingsideCore"]),
        .target(name: "RingsidePresence", dependencies: ["RingsideCore", "CMosquitto"]),
        .target(name: "RingsideUI", dependencies: ["RingsideCore"]),
        .target(name: "RingsideCurses", dependencies: ["RingsideUI", "CNcurses"]),

        // Composition: runtime, config, commands.
        .target(name: "RingsideApp", dependencies: [
            "RingsideCore", "RingsideStore", "RingsideCurl", "RingsideSalesforce",
            "RingsidePhone", "RingsidePresence", "RingsideUI",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `ringside bench`: the benchmarks and their baselines.
        .target(name: "RingsideBench", dependencies: [
            "RingsideApp", "RingsideCore", "RingsideStore", "RingsideCurl", "RingsideSalesforce", "RingsideUI",
        ]),
        .executableTarget(name: "ringside", dependencies: [
            "RingsideApp", "RingsideBench", "RingsideCore", "RingsideStore", "RingsideSalesforce", "RingsidePhone", "RingsidePresence", "RingsideCurses", "RingsideUI", "SalesforceEmulator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Test tools.
        .target(name: "SalesforceEmulator", dependencies: [
            .product(name: "FlyingFox", package: "FlyingFox"),
        ]),
        .executableTarget(name: "sf-emulator", dependencies: ["SalesforceEmulator"]),
        .target(name: "RingsideTestSupport", dependencies: ["RingsideCore"]),

        // Tests.
        .testTarget(name: "RingsideCoreTests", dependencies: ["RingsideCore", "RingsideTestSupport"]),
        .testTarget(name: "RingsideStoreTests", dependencies: ["RingsideStore", "RingsideCore", "RingsideTestSupport"]),
        .testTarget(name: "RingsideCurlTests", dependencies: ["RingsideCurl", "RingsideTestSupport", "SalesforceEmulator", .product(name: "FlyingFox", package: "FlyingFox")]),
        .testTarget(name: "RingsideSalesforceTests", dependencies: [
            "RingsideSalesforce", "RingsideCurl", "RingsideCore", "SalesforceEmulator", "RingsideTestSupport",
        ]),
        .testTarget(name: "SalesforceEmulatorTests", dependencies: ["SalesforceEmulator", "RingsideTestSupport"]),
        .testTarget(name: "RingsidePhoneTests", dependencies: ["RingsidePhone", "RingsideCore", "RingsideTestSupport"]),
        .testTarget(name: "RingsidePresenceTests", dependencies: ["RingsidePresence", "RingsideCore", "RingsideUI", "RingsideTestSupport"]),
        .testTarget(name: "RingsideUITests", dependencies: ["RingsideUI", "RingsideCore", "RingsideTestSupport"]),
        .testTarget(name: "RingsideAppTests", dependencies: [
            "RingsideApp", "RingsideBench", "RingsideCore", "RingsideStore", "RingsidePhone", "RingsidePresence", "RingsideTestSupport",
            "RingsideSalesforce", "RingsideCurl", "SalesforceEmulator",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["RingsideTestSupport", "RingsideCore", "RingsidePresence"]),
    ]
)
