// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pqa",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HDL", targets: ["HDL"]),
        .library(name: "HDLSim", targets: ["HDLSim"]),
        .executable(name: "pqa", targets: ["pqa"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "HDL"),
        .target(name: "HDLSim", dependencies: ["HDL"]),
        .executableTarget(
            name: "pqa",
            dependencies: [
                "HDL", "HDLSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "HDLTests", dependencies: ["HDL"]),
        .testTarget(name: "HDLSimTests", dependencies: ["HDL", "HDLSim"]),
    ],
    swiftLanguageModes: [.v6]
)
