import Foundation

/// The arithmetic of ``NetworkFineTuning`` that is not specific to PQ:
/// Adam, and the adjoints of fold, im2col, the float layers and pooling.
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

extension NetworkFineTuning.Model {
    /// The gradient of a conv or linear layer's input (NCHW, flat) from
    /// the gradient of its per-column outputs `[N * pixels, Cout]`.
    static func inputGradient(_ g: Matrix<Double>, weights: Matrix<Double>, conv: ConvGeometry?, input: TensorShape,
                              images: Int) throws -> [Double] {
        let (d, cout) = (weights.columns, weights.rows)
        var columns = [Double](repeating: 0, count: g.rows * d)
        for r in 0..<g.rows {
            for c in 0..<cout where g.values[r * cout + c] != 0 {
                let gv = g.values[r * cout + c]
                for j in 0..<d { columns[r * d + j] += gv * weights.values[c * d + j] }
            }
        }
        guard let conv else { return columns }
        return conv.col2im(columns, count: images)
    }

    /// Per output of a max pooling, the flat index of the input it took
    /// (the first largest of its window).
    static func maxPoolArgmax(_ input: Activations<Double>, size: Int, stride: Int) -> [Int] {
        let shape = input.shape
        let out = Activations<Double>.pooledShape(shape, size: size, stride: stride)
        var argmax: [Int] = []
        argmax.reserveCapacity(input.count * shape.channels * out.height * out.width)
        for plane in 0..<(input.count * shape.channels) {
            let base = plane * shape.height * shape.width
            for y in 0..<out.height {
                for x in 0..<out.width {
                    var best = base + y * stride * shape.width + x * stride
                    for i in 0..<size {
                        for j in 0..<size {
                            let k = base + (y * stride + i) * shape.width + x * stride + j
                            if input.values[k] > input.values[best] { best = k }
                        }
                    }
                    argmax.append(best)
                }
            }
        }
        return argmax
    }

    /// The input gradient of an average pooling.
    static func averagePoolGradient(_ g: [Double], size: Int, stride: Int, input: TensorShape, images: Int) -> [Double] {
        let out = Activations<Double>.pooledShape(input, size: size, stride: stride)
        var result = [Double](repeating: 0, count: images * input.count)
        let share = 1 / Double(size * size)
        let planeSize = input.height * input.width
        for plane in 0..<(images * input.channels) {
            for y in 0..<out.height {
                for x in 0..<out.width {
                    let gv: Double = g[(plane * out.height + y) * out.width + x] * share
                    for i in 0..<size {
                        let rowStart: Int = plane * planeSize + (y * stride + i) * input.width + x * stride
                        for j in 0..<size { result[rowStart + j] += gv }
                    }
                }
            }
        }
        return result
    }
}

extension NetworkFineTuning.Model {
    /// Adds to `gradient` the prototypes' gradient of a PQ layer (l2) whose
    /// per-column output gradients are `g` `[rows, Cout]`: LUT-NN's soft
    /// assignment in the backward pass. Each subvector `x` weighs every
    /// prototype `p_k` of its codebook by `a = softmax(-|x - p_k|² / temperature)`
    /// and takes `Σ a_k T_k` for its table row; the prototypes follow the
    /// gradient of that, while the forward pass keeps the hard argmin.
    static func prototypeGradient(_ g: Matrix<Double>, columns: Matrix<Double>, codebooks: [Double], table: [Double], shape: PQShape,
                                  temperature: Double, into gradient: inout [Double]) {
        let (ns, np, ls, cout, d) = (shape.ns, shape.np, shape.ls, shape.cout, columns.columns)
        var distance = [Double](repeating: 0, count: np), weight = distance, rowGradient = distance
        for r in 0..<columns.rows {
            let gRow = r * cout
            guard (0..<cout).contains(where: { g.values[gRow + $0] != 0 }) else { continue }
            for s in 0..<ns {
                func x(_ j: Int) -> Double { s * ls + j < d ? columns.values[r * d + s * ls + j] : 0 }
                var nearest = Double.infinity
                for k in 0..<np {
                    var sum = 0.0
                    for j in 0..<ls { let e = x(j) - codebooks[(s * np + k) * ls + j]; sum += e * e }
                    distance[k] = sum
                    nearest = min(nearest, sum)
                }
                var total = 0.0
                for k in 0..<np { weight[k] = Foundation.exp(-(distance[k] - nearest) / temperature); total += weight[k] }
                var mean = 0.0
                for k in 0..<np {
                    weight[k] /= total
                    var dot = 0.0
                    let row = (s * np + k) * cout
                    for c in 0..<cout { dot += g.values[gRow + c] * table[row + c] }
                    rowGradient[k] = dot
                    mean += weight[k] * dot
                }
                for k in 0..<np {
                    // ∂L/∂d_k = -a_k (gT_k - Σ a gT) / temperature; ∂d_k/∂p_k = -2 (x - p_k).
                    let dd = -weight[k] * (rowGradient[k] - mean) / temperature
                    guard abs(dd) > 1e-12 else { continue }
                    for j in 0..<ls {
                        let base = (s * np + k) * ls + j
                        gradient[base] += dd * -2 * (x(j) - codebooks[base])
                    }
                }
            }
        }
    }

    /// The soft assignment's temperature for a PQ layer learning from
    /// `columns`: the mean squared distance of a subvector to its nearest
    /// prototype (over at most 4,096 rows, evenly spaced), so the weights
    /// spread over the prototypes about as near as the chosen one.
    static func temperature(_ layer: FloatPQLayer, columns: Matrix<Double>) throws -> Double {
        let step = max(1, columns.rows / 4096)
        let rows = Swift.stride(from: 0, to: columns.rows, by: step).flatMap { columns.row($0) }
        let sample = Matrix(unchecked: rows.count / max(columns.columns, 1), columns.columns, rows)
        let codes = try layer.encode(columns: sample)
        let (ns, ls, d) = (layer.shape.ns, layer.shape.ls, columns.columns)
        var total = 0.0
        for r in 0..<sample.rows {
            for s in 0..<ns {
                let p = layer.prototypes.prototype(subspace: s, index: codes.values[r * ns + s])
                for j in 0..<ls {
                    let x = s * ls + j < d ? sample.values[r * d + s * ls + j] : 0
                    let e = x - p[p.startIndex + j]
                    total += e * e
                }
            }
        }
        let mean = total / Double(max(sample.rows * ns, 1))
        return mean > 0 ? mean : 1
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
        var images = [Double](repeating: 0, count: count * imageSize)
        forEachTap(count: count) { entry, pixel in images[pixel] += columns[entry] }
        return images
    }
}

extension Matrix where Scalar == Double {
    /// The mean over rows of the cross-entropy of these logits' softmax
    /// against the probabilities `target` (one row each).
    func crossEntropy(against target: Matrix<Double>) -> Double {
        let probabilities = rowSoftmax()
        return zip(probabilities.values, target.values).reduce(0) { $0 - $1.1 * Foundation.log(max($1.0, 1e-300)) } / Double(max(rows, 1))
    }

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
