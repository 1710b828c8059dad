import Foundation

/// The arithmetic of ``NetworkFineTuning`` that is not specific to PQ:
/// Adam, and the adjoints of fold and im2col.
extension NetworkFineTuning {
    /// Adam (β1 0.9, β2 0.999, ε 1e-8) over arrays of parameters.
    struct Adam {
        var first: [[Double]]
        var second: [[Double]]
        var steps = 0
        let learningRate: Double

        init(sizes: [Int], learningRate: Double) {
            first = sizes.map { [Double](repeating: 0, count: $0) }
            second = first
            self.learningRate = learningRate
        }

        mutating func step(_ parameters: inout [[Double]], _ gradients: [[Double]]) {
            steps += 1
            let scale = learningRate * (1 - pow(0.999, Double(steps))).squareRoot() / (1 - pow(0.9, Double(steps)))
            for a in parameters.indices {
                for i in parameters[a].indices {
                    let g = gradients[a][i]
                    first[a][i] = 0.9 * first[a][i] + 0.1 * g
                    second[a][i] = 0.999 * second[a][i] + 0.001 * g * g
                    parameters[a][i] -= scale * first[a][i] / (second[a][i].squareRoot() + 1e-8)
                }
            }
        }
    }
}

extension Network.Weighted {
    /// The per-column rows `[N * pixels, Cout]` of NCHW outputs `values`:
    /// the inverse of ``fold(_:)``.
    func unfold(_ values: [Double], images: Int) throws -> Matrix<Double> {
        let cout = weights.rows, pixels = columnsPerImage
        guard values.count == images * cout * pixels else {
            throw PQError.sizeMismatch(field: "output gradient", expected: "\(images * cout * pixels) values", found: "\(values.count)")
        }
        guard conv != nil else { return Matrix(unchecked: images, cout, values) }
        var rows = [Double](repeating: 0, count: values.count)
        for n in 0..<images {
            for c in 0..<cout {
                for p in 0..<pixels { rows[(n * pixels + p) * cout + c] = values[(n * cout + c) * pixels + p] }
            }
        }
        return Matrix(unchecked: images * pixels, cout, rows)
    }
}

extension ConvGeometry {
    /// The adjoint of ``im2col(images:count:)``: every column value added
    /// back to the input pixel it was read from (NCHW, flat).
    func col2im(_ columns: [Double], count: Int) -> [Double] {
        let (oh, ow, d) = (outHeight, outWidth, columnLength)
        var images = [Double](repeating: 0, count: count * imageSize)
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
                                let pixel = ((n * inChannels + ci) * inHeight + iy) * inWidth + ix
                                let entry = row * d + (ci * kernelHeight + i) * kernelWidth + j
                                images[pixel] += columns[entry]
                            }
                        }
                    }
                }
            }
        }
        return images
    }
}

extension Matrix where Scalar == Double {
    /// The softmax of every row (shifted by the row's largest value).
    func rowSoftmax() -> Matrix<Double> {
        var values = self.values
        for r in 0..<rows {
            let row = r * columns
            let largest = values[row..<(row + columns)].max() ?? 0
            var sum = 0.0
            for c in 0..<columns {
                values[row + c] = Foundation.exp(values[row + c] - largest)
                sum += values[row + c]
            }
            for c in 0..<columns { values[row + c] /= sum }
        }
        return Matrix(unchecked: rows, columns, values)
    }
}
