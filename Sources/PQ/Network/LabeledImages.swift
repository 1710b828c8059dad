import Foundation

/// Images with their class labels, as a data folder stores one split:
/// `<split>_images.npy` (`[N, C, H, W]`, any numeric dtype) and
/// `<split>_labels.npy` (`[N]`, integers).
public struct LabeledImages: Sendable, Equatable {
    /// The images, values as stored.
    public let images: Activations<Double>
    /// One class index per image.
    public let labels: [Int]

    /// Images and labels; throws when the counts differ or a label is negative.
    public init(images: Activations<Double>, labels: [Int]) throws {
        guard labels.count == images.count else {
            throw NetworkError.badData(file: "labels", reason: "\(labels.count) labels for \(images.count) images; give one label per image")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 }) {
            throw NetworkError.badData(file: "labels", reason: "label \(labels[bad]) at \(bad) is negative; labels are class indices 0, 1, ...")
        }
        self.images = images
        self.labels = labels
    }

    /// Reads split `split` (e.g. `test`) of the data folder `folder`.
    public static func read(split: String, from folder: URL) throws -> LabeledImages {
        let imageURL = folder.appendingPathComponent("\(split)_images.npy"), labelURL = folder.appendingPathComponent("\(split)_labels.npy")
        for url in [imageURL, labelURL] where !FileManager.default.fileExists(atPath: url.path) {
            throw NetworkError.missingFile(file: url.path, needed: "a data folder holds <split>_images.npy [N, C, H, W] and <split>_labels.npy [N] "
                                           + "(python3 scripts/digits_data.py writes them for the digits)")
        }
        let images = try NPYArray.read(from: imageURL), labels = try NPYArray.read(from: labelURL)
        guard images.shape.count == 4 else {
            throw NetworkError.badData(file: imageURL.path, reason: "shape \(images.shape); expected [N, C, H, W] (NCHW images)")
        }
        guard labels.shape == [images.shape[0]] else {
            throw NetworkError.badData(file: labelURL.path, reason: "shape \(labels.shape); expected [\(images.shape[0])], one label per image")
        }
        let shape = TensorShape(channels: images.shape[1], height: images.shape[2], width: images.shape[3])
        return try LabeledImages(images: Activations(unchecked: images.shape[0], shape, images.doubles),
                                 labels: labels.integers(file: labelURL.path))
    }

    /// Number of images.
    public var count: Int { labels.count }

    /// The images of `sets` one after the other; throws when their image
    /// shapes differ or `sets` is empty.
    public static func concatenated(_ sets: [LabeledImages]) throws -> LabeledImages {
        guard let first = sets.first else {
            throw NetworkError.badData(file: "images", reason: "no split to join; name at least one")
        }
        for set in sets where set.images.shape != first.images.shape {
            throw NetworkError.badData(file: "images", reason: "splits of shapes \(first.images.shape) and \(set.images.shape); every split holds images of one shape")
        }
        let images = Activations(unchecked: sets.reduce(0) { $0 + $1.count }, first.images.shape, sets.flatMap(\.images.values))
        return LabeledImages(unchecked: images, sets.flatMap(\.labels))
    }

    /// The first `limit` images (all when `limit` is nil or larger).
    public func prefix(_ limit: Int?) -> LabeledImages {
        let n = min(limit ?? count, count)
        return LabeledImages(unchecked: images.images(0..<n), Array(labels.prefix(n)))
    }

    private init(unchecked images: Activations<Double>, _ labels: [Int]) {
        self.images = images
        self.labels = labels
    }

    /// The fraction of `predictions` (one class per image) equal to the labels.
    public func accuracy(of predictions: [Int]) -> Double {
        guard !labels.isEmpty else { return 0 }
        return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
}

extension Matrix where Scalar == Double {
    /// The index of each row's largest value (ties to the lowest index).
    public var rowArgmax: [Int] {
        (0..<rows).map { r in
            var best = 0
            for c in 1..<Swift.max(columns, 1) where self[r, c] > self[r, best] { best = c }
            return best
        }
    }
}
