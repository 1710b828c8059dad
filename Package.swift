// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pqa",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HDL", targets: ["HDL"]),
        .library(name: "PQ", targets: ["PQ"]),
        .library(name: "PQA", targets: ["PQA"]),
        .library(name: "HDLSim", targets: ["HDLSim"]),
        .executable(name: "pqa", targets: ["PQATool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "Randomness"),
        .target(name: "HDL", dependencies: ["Randomness"]),
        .target(name: "HDLSim", dependencies: ["HDL"]),
        .target(name: "PQ", dependencies: ["Randomness"]),
        .target(name: "PQA", dependencies: ["HDL", "HDLSim", "PQ"]),
        .target(name: "PQAFlow", dependencies: ["HDL", "HDLSim", "PQ", "PQA"]),
        .target(
            name: "PQCommands",
            dependencies: ["PQ", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "PQATool",
            dependencies: [
                "HDL", "HDLSim", "PQA", "PQAFlow", "PQCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "HDLTests", dependencies: ["HDL"]),
        .testTarget(name: "HDLSimTests", dependencies: ["HDL", "HDLSim"], exclude: ["Fixtures"]),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .testTarget(name: "PQTests", dependencies: ["PQ"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PQCommandsTests", dependencies: ["PQCommands", "PQ"]),
        .testTarget(name: "PQATests", dependencies: ["PQA", "HDLSim"]),
        .testTarget(name: "PQAFlowTests", dependencies: ["PQAFlow", "PQA", "HDLSim"]),
    ],
    swiftLanguageModes: [.v6]
)
