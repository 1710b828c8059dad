import Testing
@testable import PQ

@Suite struct Im2colTests {
    /// A direct convolution loop, NCHW, zero padding: the reference im2col must match.
    func directConvolution(_ images: [Double], _ n: Int, _ weights: [Double], cout: Int, _ g: ConvGeometry) -> [Double] {
        var out: [Double] = []
        for b in 0..<n {
            for co in 0..<cout {
                for y in 0..<g.outHeight {
                    for x in 0..<g.outWidth {
                        var sum = 0.0
                        for ci in 0..<g.inChannels {
                            for i in 0..<g.kernelHeight {
                                for j in 0..<g.kernelWidth {
                                    let iy = y * g.stride + i - g.padding, ix = x * g.stride + j - g.padding
                                    guard iy >= 0, iy < g.inHeight, ix >= 0, ix < g.inWidth else { continue }
                                    let w = weights[((co * g.inChannels + ci) * g.kernelHeight + i) * g.kernelWidth + j]
                                    sum += w * images[((b * g.inChannels + ci) * g.inHeight + iy) * g.inWidth + ix]
                                }
                            }
                        }
                        out.append(sum)
                    }
                }
            }
        }
        return out
    }

    @Test(arguments: [
        (2, 5, 6, 3, 3, 1, 1), (3, 7, 5, 3, 2, 2, 0), (1, 4, 4, 1, 1, 1, 0), (2, 6, 6, 5, 5, 2, 2), (2, 3, 3, 3, 3, 3, 1),
    ])
    func matchesADirectConvolution(cin: Int, h: Int, w: Int, kh: Int, kw: Int, stride: Int, padding: Int) throws {
        let g = try ConvGeometry(inChannels: cin, inHeight: h, inWidth: w, kernelHeight: kh, kernelWidth: kw, stride: stride, padding: padding)
        let (n, cout) = (2, 3)
        let images = TestSupport.gaussian(rows: 1, columns: n * g.imageSize, seed: 1).values
        let weights = TestSupport.gaussian(rows: cout, columns: g.columnLength, seed: 2)
        let columns = try g.im2col(images: images, count: n)
        #expect(columns.rows == n * g.outHeight * g.outWidth && columns.columns == g.columnLength)
        let viaColumns = try g.foldOutputs(columns.multipliedTransposed(weights))
        let direct = directConvolution(images, n, weights.values, cout: cout, g)
        #expect(viaColumns.count == direct.count)
        for (a, b) in zip(viaColumns, direct) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func columnOrderIsChannelThenKernelRowThenColumn() throws {
        // One 2-channel 2x2 image, kernel 2x2, no padding: a single column
        // that reads the image in NCHW order.
        let g = try ConvGeometry(inChannels: 2, inHeight: 2, inWidth: 2, kernelHeight: 2, kernelWidth: 2)
        let columns = try g.im2col(images: Array(0..<8), count: 1)
        #expect(columns.values == Array(0..<8))
        // Padding 1 with a 1x1 image: the centre of a 3x3 kernel only.
        let p = try ConvGeometry(inChannels: 1, inHeight: 1, inWidth: 1, kernelHeight: 3, kernelWidth: 3, padding: 1)
        #expect(try p.im2col(images: [5], count: 1).values == [0, 0, 0, 0, 5, 0, 0, 0, 0])
    }

    @Test func rejectsBadGeometryAndSizes() throws {
        #expect(throws: PQError.self) { try ConvGeometry(inChannels: 1, inHeight: 2, inWidth: 2, kernelHeight: 3, kernelWidth: 1) }
        #expect(throws: PQError.self) { try ConvGeometry(inChannels: 0, inHeight: 2, inWidth: 2, kernelHeight: 1, kernelWidth: 1) }
        #expect(throws: PQError.self) { try ConvGeometry(inChannels: 1, inHeight: 2, inWidth: 2, kernelHeight: 1, kernelWidth: 1, stride: 0) }
        let g = try ConvGeometry(inChannels: 1, inHeight: 2, inWidth: 2, kernelHeight: 1, kernelWidth: 1)
        #expect(throws: PQError.self) { try g.im2col(images: [1, 2, 3], count: 1) }
        #expect(throws: PQError.self) { try g.foldOutputs(Matrix(rows: 3, columns: 1, values: [1, 2, 3])) }
    }
}
