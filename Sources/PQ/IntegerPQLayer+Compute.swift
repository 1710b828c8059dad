import Foundation

/// The computation of an integer PQ layer, one column or a batch.
extension IntegerPQLayer {
    /// The codes (one per subspace) of one column of activations. The column
    /// has `D` or `Ns * Ls` values, each in `formats.activation`.
    public func encode(column: [Int]) throws -> [Int] {
        try encode(columns: Matrix(rows: 1, columns: column.count, values: column)).values
    }

    /// The sums over subspaces of the table entries selected by `codes`
    /// (`Ns` values in `0..<Np`), one per output channel, before the bias.
    public func accumulate(codes: [Int]) throws -> [Int] {
        try checkCodes(codes)
        return accumulateUnchecked(codes: codes[...])
    }

    /// Adds the bias to table sums (`Cout` values within `widths.tableSum`)
    /// and requantizes them to outputs.
    public func requantize(sums: [Int]) throws -> [Int] {
        guard sums.count == shape.cout else {
            throw PQError.sizeMismatch(field: "sums", expected: "Cout = \(shape.cout) values", found: "\(sums.count)")
        }
        for (c, sum) in sums.enumerated() where !widths.tableSum.contains(sum) {
            throw PQError.parameterOutOfRange(
                field: "sums[\(c)]", value: "\(sum)", allowed: "\(widths.tableSum.minValue)...\(widths.tableSum.maxValue) (a sum of Ns table entries)")
        }
        return (0..<shape.cout).map { requantization.apply(sums[$0] + bias[$0], output: formats.output) }
    }

    /// The outputs (`Cout` values in `formats.output`) of one column.
    public func output(column: [Int]) throws -> [Int] {
        try outputs(columns: Matrix(rows: 1, columns: column.count, values: column)).values
    }

    /// Codes `[N, Ns]` of a batch of columns `[N, D]` (or `[N, Ns*Ls]`).
    public func encode(columns: Matrix<Int>) throws -> Matrix<Int> {
        try checkColumns(columns)
        if let trees { return trees.encode(columns) }
        return prototypes.encodeUnchecked(columns: columns, metric: metric)
    }

    /// Outputs `[N, Cout]` of a batch of columns `[N, D]` (or `[N, Ns*Ls]`).
    public func outputs(columns: Matrix<Int>) throws -> Matrix<Int> {
        let codes = try encode(columns: columns)
        let cout = shape.cout
        var out = [Int](repeating: 0, count: columns.rows * cout)
        for r in 0..<columns.rows {
            let sums = accumulateUnchecked(codes: codes.row(r))
            for c in 0..<cout {
                out[r * cout + c] = requantization.apply(sums[c] + bias[c], output: formats.output)
            }
        }
        return Matrix(unchecked: columns.rows, cout, out)
    }

    /// Outputs NCHW `[N, Cout, outH, outW]` (flat) of `count` NCHW images,
    /// through im2col; the layer must have a ``conv`` geometry.
    public func outputs(images: [Int], count: Int) throws -> [Int] {
        guard let conv else {
            throw PQError.sizeMismatch(field: "layer conv geometry", expected: "a convolution layer for image inputs", found: "a linear layer")
        }
        return try conv.foldOutputs(outputs(columns: conv.im2col(images: images, count: count)))
    }

    /// Every intermediate value of one column, for co-simulation and debugging.
    public func trace(column: [Int]) throws -> IntegerLayerTrace {
        let padded = try shape.padded(column)
        try checkColumns(Matrix(unchecked: 1, padded.count, padded))
        let distances = trees == nil ? prototypes.distancesUnchecked(column: padded, metric: metric) : []
        let codes = try encode(column: padded)
        let sums = accumulateUnchecked(codes: codes[...])
        let accumulators = (0..<shape.cout).map { sums[$0] + bias[$0] }
        let products = accumulators.map { $0 * requantization.multiplier }
        let shifted = products.map { Requantization.roundingShift($0, by: requantization.shift) }
        let outputs = accumulators.map { requantization.apply($0, output: formats.output) }
        return IntegerLayerTrace(
            column: padded, distances: distances, codes: codes, sums: sums, accumulators: accumulators,
            products: products, shifted: shifted, outputs: outputs)
    }

    /// Quantizes real columns `[N, D]` with the layer's input scales
    /// (round half to even, saturation to `formats.activation`).
    public func quantizeInputs(_ columns: Matrix<Double>) throws -> Matrix<Int> {
        guard let scales else {
            throw PQError.sizeMismatch(field: "layer scales", expected: "input scales to quantize real inputs", found: "none (an integer-only layer)")
        }
        guard columns.columns == shape.inputLength || columns.columns == shape.paddedLength else {
            throw PQError.sizeMismatch(
                field: "columns", expected: "D = \(shape.inputLength) or Ns*Ls = \(shape.paddedLength) values per row",
                found: "\(columns.columns)")
        }
        let width = columns.columns, ls = shape.ls, format = formats.activation
        var out = [Int](repeating: 0, count: columns.values.count)
        for i in columns.values.indices {
            out[i] = Quantizer.quantize(columns.values[i], scale: scales.inputScale(subspace: (i % width) / ls), format: format)
        }
        return Matrix(unchecked: columns.rows, width, out)
    }

    /// Real values of integer outputs (`output * scales.output`); outputs
    /// unchanged (as Double) when the layer has no scales.
    public func dequantizeOutputs(_ outputs: Matrix<Int>) -> Matrix<Double> {
        let scale = scales?.output ?? 1
        return outputs.map { Double($0) * scale }
    }

    func accumulateUnchecked(codes: ArraySlice<Int>) -> [Int] {
        let (np, cout) = (shape.np, shape.cout)
        var sums = [Int](repeating: 0, count: cout)
        table.values.withUnsafeBufferPointer { t in
            sums.withUnsafeMutableBufferPointer { acc in
                for (s, code) in codes.enumerated() {
                    let base = (s * np + code) * cout
                    let row = UnsafeBufferPointer(rebasing: t[base..<(base + cout)])
                    for c in 0..<cout { acc[c] += row[c] }
                }
            }
        }
        return sums
    }

    func checkCodes(_ codes: [Int]) throws {
        guard codes.count == shape.ns else {
            throw PQError.sizeMismatch(field: "codes", expected: "Ns = \(shape.ns) values", found: "\(codes.count)")
        }
        for (s, code) in codes.enumerated() where code < 0 || code >= shape.np {
            throw PQError.codeOutOfRange(subspace: s, code: code, np: shape.np)
        }
    }

    func checkColumns(_ columns: Matrix<Int>) throws {
        guard columns.columns == shape.inputLength || columns.columns == shape.paddedLength else {
            throw PQError.sizeMismatch(
                field: "column", expected: "D = \(shape.inputLength) or Ns*Ls = \(shape.paddedLength) values",
                found: "\(columns.columns) values")
        }
        let format = formats.activation
        for (i, value) in columns.values.enumerated() where !format.contains(value) {
            let index = columns.rows == 1 ? [i] : [i / columns.columns, i % columns.columns]
            throw PQError.valueOutOfFormat(field: "column", index: index, value: value, format: format)
        }
    }
}
