// swift-tools-version:6.1
import PackageDescription

// Every dependency comes from the machine's local package mirror (see README, "Dependencies").
let package = Package(
    name: "Tuodi",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tuodi", targets: ["tuodi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // Pure values and rules. No I/O, no clock reads, no dependencies.
        .target(name: "TuodiDomain"),

        // The versioned SQL files, compiled into the binary so `tuodi migrate` needs no files on disk.
        .target(
            name: "TuodiMigrations",
            path: "Migrations",
            exclude: ["README.md"],
            resources: [.embedInCode("sqlite"), .embedInCode("postgres")]
        ),

        // The store contract, the one SQL implementation of it (over SQLKit) and the migration runner.
        .target(name: "TuodiStore", dependencies: [
            "TuodiDomain", "TuodiMigrations",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // One variadic SQLite call that Swift cannot make (the write connection's planner setting).
        .target(name: "CTuodiSQLite"),
        .target(name: "TuodiSQLite", dependencies: [
            "TuodiStore", "CTuodiSQLite",
            .product(name: "SQLiteKit", package: "sqlite-kit"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .target(name: "TuodiPostgres", dependencies: [
            "TuodiStore",
            .product(name: "PostgresKit", package: "postgres-kit"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // Reads uploaded CSV and XLSX files into tables (ZIPFoundation + a small XML scanner).
        .target(name: "TuodiSpreadsheet", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),

        // Use cases: validation, authorisation, audit, transactions. HTTP and CLI both call this.
        .target(name: "TuodiApp", dependencies: [
            "TuodiDomain", "TuodiStore", "TuodiSQLite", "TuodiPostgres", "TuodiSpreadsheet", "TuodiReports", "TuodiLabels",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),

        // Report rendering: the OCDS release of a selection round; the quarterly return as XLSX, CSV, XML and HTML.
        .target(name: "TuodiReports", dependencies: ["TuodiDomain", "TuodiLabels"]),

        // The Chinese label of every code a person sees, and how times and figures are written:
        // one table for the web pages, the CLI and the reports.
        .target(name: "TuodiLabels", dependencies: ["TuodiDomain"]),

        // The web application for bureau staff: server-rendered pages (view model + Mustache
        // template each), cookie sessions over the API's token table, CSRF, one stylesheet.
        .target(
            name: "TuodiWeb",
            dependencies: [
                "TuodiApp", "TuodiDomain", "TuodiLabels", "TuodiStore", "TuodiReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Templates"), .embedInCode("Assets")]
        ),

        // The contract (openapi.yaml) and the code generated from it: types, the server's
        // protocol and a typed client (which the HTTP and end-to-end tests use). The code in
        // Generated/ is committed, written by `make api` (scripts/generate-api.sh) with the pinned
        // generator in tools/: the build plugin cost every fresh clone the generator's own build.
        .target(
            name: "TuodiAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            exclude: ["openapi-generator-config.yaml"],
            resources: [.embedInCode("openapi.yaml")]
        ),

        .target(
            name: "TuodiHTTP",
            dependencies: [
                "TuodiAPI", "TuodiApp", "TuodiDomain", "TuodiWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        .executableTarget(name: "tuodi", dependencies: [
            "TuodiApp", "TuodiHTTP", "TuodiDomain", "TuodiLabels", "TuodiReports", "TuodiStore", "TuodiPostgres",
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The matching benchmark: a plain release executable that prints medians (`make bench-match`).
        .executableTarget(name: "match-bench", dependencies: ["TuodiDomain"], path: "benchmarks/match-bench"),

        // The store conformance suite, written once as a library and run against every backend.
        .target(name: "TuodiStoreConformance", dependencies: [
            "TuodiStore", "TuodiDomain", .product(name: "SQLKit", package: "sql-kit"),
        ]),

        // Fresh test databases: a new SQLite file, or a new database on the throwaway PostgreSQL.
        .target(name: "TuodiTestSupport", dependencies: [
            "TuodiStore", "TuodiSQLite", "TuodiPostgres", "TuodiStoreConformance", "TuodiApp", "TuodiDomain",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/TuodiTestSupport"),

        .testTarget(name: "TuodiDomainTests", dependencies: ["TuodiDomain"]),
        .testTarget(name: "TuodiSpreadsheetTests", dependencies: ["TuodiSpreadsheet"]),
        .testTarget(name: "TuodiReportsTests", dependencies: ["TuodiReports", "TuodiDomain"]),
        .testTarget(name: "TuodiLabelsTests", dependencies: ["TuodiLabels", "TuodiDomain"]),
        .testTarget(name: "TuodiStoreTests", dependencies: [
            "TuodiStore", "TuodiSQLite", "TuodiPostgres", "TuodiStoreConformance", "TuodiMigrations", "TuodiTestSupport",
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "TuodiAppTests", dependencies: ["TuodiApp", "TuodiPostgres", "TuodiStore", "TuodiTestSupport"]),
        .testTarget(name: "TuodiWebTests", dependencies: [
            "TuodiWeb", "TuodiHTTP", "TuodiApp", "TuodiTestSupport", "TuodiDomain",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        // The generated client over the in-process router and over real loopback HTTP.
        .target(name: "TuodiAPITestSupport", dependencies: [
            "TuodiAPI",
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ], path: "Tests/TuodiAPITestSupport"),
        .testTarget(name: "TuodiAPITests", dependencies: [
            "TuodiAPI", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "TuodiHTTPTests", dependencies: [
            "TuodiHTTP", "TuodiAPI", "TuodiAPITestSupport", "TuodiApp", "TuodiTestSupport", "TuodiStore",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        // Runs the built `tuodi` binary: the CLI, and `tuodi serve` over real loopback HTTP.
        .testTarget(name: "EndToEndTests", dependencies: [
            "tuodi", "TuodiAPI", "TuodiAPITestSupport", "TuodiTestSupport", "TuodiPostgres", "TuodiStore", "TuodiApp", "TuodiDomain",
            .product(name: "SQLKit", package: "sql-kit"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
