// swift-tools-version:6.1
import PackageDescription

// The OpenAPI generator, pinned, as a package of its own: `make api` runs it to regenerate
// Sources/TuodiAPI/Generated from openapi.yaml. The main package does not build it (the build
// plugin cost every fresh clone a minute and a half of OpenAPIKit, Yams and the generator).
let package = Package(
    name: "TuodiOpenAPIGenerator",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3"),
    ],
    targets: []
)
