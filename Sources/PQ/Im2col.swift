/// The geometry of a 2-D convolution (NCHW, zero padding, dilation 1) that
/// a PQ layer replaces through im2col.
///
/// im2col turns each output pixel into one input column of length
/// `D = inChannels * kernelHeight * kernelWidth`. The column order is
/// channel-major, then kernel row, then kernel column:
/// `column[(ci * kH + i) * kW + j] = input[ci][oh*stride + i − padding][ow*stride + j − padding]`
/// (zero outside the image). This is the order of PyTorch's
/// `weight.reshape(Cout, -1)`, so a conv weight `[Cout, Cin, kH, kW]` read
/// flat is directly the `[Cout, D]` weight matrix of the equivalent linear layer.
/// Columns of one image are ordered by output row, then output column; images
/// follow each other.
public struct ConvGeometry: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Input channels `Cin`.
    public var inChannels: Int
    /// Input height `H`.
    public var inHeight: Int
    /// Input width `W`.
    public var inWidth: Int
    /// Kernel height `kH`.
    public var kernelHeight: Int
    /// Kernel width `kW`.
    public var kernelWidth: Int
    /// Stride, the same in both directions.
    public var stride: Int
    /// Zero padding on every side.
    public var padding: Int

    /// A geometry; throws when the kernel does not fit the padded input.
    public init(
        inChannels: Int, inHeight: Int, inWidth: Int, kernelHeight: Int, kernelWidth: Int,
        stride: Int = 1, padding: Int = 0
    ) throws {
        self.inChannels = inChannels
        self.inHeight = inHeight
        self.inWidth = inWidth
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
        try validate()
    }

    /// Checks every size and that at least one output pixel exists.
    public func validate() throws {
        let limit = 1 << 16
        try PQShape.check("conv stride", stride, 1...limit)
        try PQShape.check("conv padding", padding, 0...limit)
        try PQShape.check("conv inChannels", inChannels, 1...limit)
        try PQShape.check("conv inHeight", inHeight, 1...limit)
        try PQShape.check("conv inWidth", inWidth, 1...limit)
        try PQShape.check("conv kernelHeight", kernelHeight, 1...(inHeight + 2 * padding))
        try PQShape.check("conv kernelWidth", kernelWidth, 1...(inWidth + 2 * padding))
    }

    /// Output height `(H + 2*padding − kH) / stride + 1`.
    public var outHeight: Int { (inHeight + 2 * padding - kernelHeight) / stride + 1 }
    /// Output width `(W + 2*padding − kW) / stride + 1`.
    public var outWidth: Int { (inWidth + 2 * padding - kernelWidth) / stride + 1 }
    /// The column length `D = Cin * kH * kW`.
    public var columnLength: Int { inChannels * kernelHeight * kernelWidth }
    /// Values in one input image, `Cin * H * W`.
    public var imageSize: Int { inChannels * inHeight * inWidth }

    /// The im2col columns `[N * outH * outW, D]` of `count` images stored
    /// flat NCHW in `images`.
    public func im2col<Scalar: Sendable & Equatable & AdditiveArithmetic>(images: [Scalar], count: Int) throws -> Matrix<Scalar> {
        guard count >= 0, images.count == count * imageSize else {
            throw PQError.sizeMismatch(
                field: "images", expected: "\(count) x \(inChannels) x \(inHeight) x \(inWidth) = \(count * imageSize) values",
                found: "\(images.count)")
        }
        let (oh, ow, d) = (outHeight, outWidth, columnLength)
        var out = [Scalar](repeating: .zero, count: count * oh * ow * d)
        forEachTap(count: count) { entry, pixel in out[entry] = images[pixel] }
        return Matrix(unchecked: count * oh * ow, d, out)
    }

    /// Calls `body(entry, pixel)` for every im2col column entry of `count`
    /// images that reads an input pixel (padding reads none): `entry`
    /// indexes the flat `[N * outH * outW, D]` columns, `pixel` the flat NCHW images.
    func forEachTap(count: Int, _ body: (_ entry: Int, _ pixel: Int) -> Void) {
        let (oh, ow, d) = (outHeight, outWidth, columnLength)
        for n in 0..<count {
            for y in 0..<oh {
                for x in 0..<ow {
                    let row = (n * oh + y) * ow + x
                    for ci in 0..<inChannels {
                        for i in 0..<kernelHeight {
                            let iy = y * stride + i - padding
                            guard iy >= 0, iy < inHeight else { continue }
                            for j in 0..<kernelWidth {
                                let ix = x * stride + j - padding
                                guard ix >= 0, ix < inWidth else { continue }
                                body(row * d + (ci * kernelHeight + i) * kernelWidth + j, ((n * inChannels + ci) * inHeight + iy) * inWidth + ix)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Rearranges per-pixel outputs `[N * outH * outW, Cout]` (one row per
    /// im2col column) into NCHW `[N, Cout, outH, outW]`, flat.
    public func foldOutputs<Scalar: Sendable & Equatable>(_ rows: Matrix<Scalar>) throws -> [Scalar] {
        let pixels = outHeight * outWidth
        guard rows.rows % pixels == 0 else {
            throw PQError.sizeMismatch(
                field: "convolution outputs", expected: "a multiple of outH*outW = \(pixels) rows", found: "\(rows.rows)")
        }
        let images = rows.rows / pixels, cout = rows.columns
        var out: [Scalar] = []
        out.reserveCapacity(rows.values.count)
        for n in 0..<images {
            for c in 0..<cout {
                for p in 0..<pixels { out.append(rows.values[(n * pixels + p) * cout + c]) }
            }
        }
        return out
    }

    /// A one-line summary of the geometry.
    public var description: String {
        "conv Cin=\(inChannels) \(inHeight)x\(inWidth) kernel \(kernelHeight)x\(kernelWidth) stride \(stride) padding \(padding)"
    }
}
