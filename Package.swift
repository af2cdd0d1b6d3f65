// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "BottomLine",
    products: [
        .library(name: "BottomLine", targets: ["BottomLine"]),
        .executable(name: "bottomline", targets: ["bottomline"]),
    ],
    dependencies: [],
    targets: [
        .target(name: "BottomLine", path: "Sources/BottomLine"),
        .executableTarget(name: "bottomline", dependencies: ["BottomLine"], path: "Sources/bottomline"),
        .testTarget(
            name: "BottomLineTests", dependencies: ["BottomLine"], path: "Tests/BottomLineTests"),
        .testTarget(
            name: "PublicAPITests", dependencies: ["BottomLine"], path: "Tests/PublicAPITests"),
    ]
)
