/// Evaluates one node into the interpreter's storage.
typealias CompiledOperation = (UnsafeMutablePointer<UInt64>) -> Void

/// Turns flattened operations into closures over the storage words. Nodes
/// whose operands and result all fit in 64 bits get a specialised closure;
/// wider ones go through `NodeSemantics` on bit vectors.
enum OperationCompiler {
    static func compile(_ operation: FlatDesign.Operation, slots: [FlatDesign.Slot],
                        memories: [MemoryStorage]) -> CompiledOperation {
        let result = slots[operation.result]
        let operands = operation.operands.map { slots[$0] }
        if let memory = operation.memory { return asyncRead(memories[memory], address: operands[0], into: result) }
        let narrow = result.width <= 64 && operands.allSatisfy { $0.width <= 64 }
        if narrow, let fast = narrowOperation(operation, result: result, operands: operands) { return fast }
        if !narrow, let fast = wideOperation(operation, result: result, operands: operands) { return fast }
        let kind = operation.kind, type = operation.type, types = operation.operandTypes
        return { storage in
            let values = operands.map { load(storage, $0) }
            store(storage, result, NodeSemantics.evaluate(kind, type, values, types))
        }
    }

    static func load(_ storage: UnsafeMutablePointer<UInt64>, _ slot: FlatDesign.Slot) -> BitVector {
        BitVector(width: slot.width, words: Array(UnsafeBufferPointer(start: storage + slot.offset, count: slot.words)))
    }

    static func store(_ storage: UnsafeMutablePointer<UInt64>, _ slot: FlatDesign.Slot, _ value: BitVector) {
        for (index, word) in value.words.enumerated() { storage[slot.offset + index] = word }
    }

    @inline(__always) static func mask(_ width: Int) -> UInt64 { width >= 64 ? ~0 : (1 << UInt64(width)) &- 1 }

    @inline(__always) static func signed(_ value: UInt64, _ width: Int) -> Int64 {
        let spare = UInt64(64 - width)
        return Int64(bitPattern: value << spare) >> Int64(spare)
    }

    private static func asyncRead(_ memory: MemoryStorage, address: FlatDesign.Slot, into result: FlatDesign.Slot) -> CompiledOperation {
        let addressSlot = address
        return { storage in
            let index = load(storage, addressSlot).unsignedValue.map { Int(clamping: $0) } ?? Int.max
            for word in 0..<result.words { storage[result.offset + word] = memory.word(index, word) }
        }
    }

    /// Word-level closures for the wide nodes that only move bits: copies,
    /// muxes and narrow slices of wide values (lanes of a wide bus).
    private static func wideOperation(_ operation: FlatDesign.Operation, result: FlatDesign.Slot,
                                      operands: [FlatDesign.Slot]) -> CompiledOperation? {
        let r = result.offset, words = result.words
        switch operation.kind {
        case .wire, .output, .instanceInput:
            let a = operands[0].offset
            return { s in for word in 0..<words { s[r + word] = s[a + word] } }
        case .mux:
            let select = operands[0].offset, whenTrue = operands[1].offset, whenFalse = operands[2].offset
            return { s in
                let source = s[select] != 0 ? whenTrue : whenFalse
                for word in 0..<words { s[r + word] = s[source + word] }
            }
        case .slice(_, _, let low) where result.width <= 64:
            let a = operands[0].offset, sourceWords = operands[0].words, m = mask(result.width)
            let word = low / 64, bit = UInt64(low % 64)
            if bit == 0 { return { s in s[r] = s[a + word] & m } }
            let hasNext = word + 1 < sourceWords
            return { s in
                let high = hasNext ? s[a + word + 1] << (64 - bit) : 0
                s[r] = ((s[a + word] >> bit) | high) & m
            }
        default:
            return nil
        }
    }

    private static func narrowOperation(_ operation: FlatDesign.Operation, result: FlatDesign.Slot,
                                        operands: [FlatDesign.Slot]) -> CompiledOperation? {
        let r = result.offset, m = mask(result.width), w = result.width
        let o = operands.map(\.offset)
        let operandWidth = operands.first?.width ?? 1
        let operandSigned = operation.operandTypes.first?.isSigned ?? false
        switch operation.kind {
        case .unary(let op, _):
            let a = o[0], am = mask(operandWidth)
            switch op {
            case .not: return { s in s[r] = ~s[a] & m }
            case .negate: return { s in s[r] = (0 &- s[a]) & m }
            case .andReduce: return { s in s[r] = s[a] == am ? 1 : 0 }
            case .orReduce: return { s in s[r] = s[a] != 0 ? 1 : 0 }
            case .xorReduce: return { s in s[r] = UInt64(s[a].nonzeroBitCount & 1) }
            }
        case .binary(let op, _, _):
            let a = o[0], b = o[1], wa = operandWidth
            switch op {
            case .add: return { s in s[r] = (s[a] &+ s[b]) & m }
            case .subtract: return { s in s[r] = (s[a] &- s[b]) & m }
            case .multiply:
                let wb = operands[1].width
                if operandSigned {
                    return { s in s[r] = UInt64(bitPattern: signed(s[a], wa) &* signed(s[b], wb)) & m }
                }
                return { s in s[r] = (s[a] &* s[b]) & m }
            case .and: return { s in s[r] = s[a] & s[b] }
            case .or: return { s in s[r] = s[a] | s[b] }
            case .xor: return { s in s[r] = s[a] ^ s[b] }
            case .equal: return { s in s[r] = s[a] == s[b] ? 1 : 0 }
            case .notEqual: return { s in s[r] = s[a] != s[b] ? 1 : 0 }
            case .less:
                if operandSigned { return { s in s[r] = signed(s[a], wa) < signed(s[b], wa) ? 1 : 0 } }
                return { s in s[r] = s[a] < s[b] ? 1 : 0 }
            case .lessOrEqual:
                if operandSigned { return { s in s[r] = signed(s[a], wa) <= signed(s[b], wa) ? 1 : 0 } }
                return { s in s[r] = s[a] <= s[b] ? 1 : 0 }
            case .shiftLeft:
                return { s in s[r] = s[b] >= UInt64(w) ? 0 : (s[a] << s[b]) & m }
            case .shiftRightLogical:
                return { s in s[r] = s[b] >= UInt64(w) ? 0 : s[a] >> s[b] }
            case .shiftRightArithmetic:
                return { s in s[r] = UInt64(bitPattern: signed(s[a], w) >> Int64(min(s[b], 63))) & m }
            }
        case .shiftConstant(let op, _, let amount):
            let a = o[0]
            switch op {
            case .shiftLeft:
                return amount >= w ? { s in s[r] = 0 } : { s in s[r] = (s[a] << UInt64(amount)) & m }
            case .shiftRightArithmetic:
                let shift = Int64(min(amount, 63))
                return { s in s[r] = UInt64(bitPattern: signed(s[a], w) >> shift) & m }
            default:
                return amount >= w ? { s in s[r] = 0 } : { s in s[r] = s[a] >> UInt64(amount) }
            }
        case .mux:
            let select = o[0], whenTrue = o[1], whenFalse = o[2]
            return { s in s[r] = s[select] != 0 ? s[whenTrue] : s[whenFalse] }
        case .slice(_, _, let low):
            let a = o[0]
            return { s in s[r] = (s[a] >> UInt64(low)) & m }
        case .concat:
            let parts = Array(zip(o, operands.map(\.width)))
            return { s in
                var value: UInt64 = 0
                for (offset, width) in parts { value = (width >= 64 ? 0 : value << UInt64(width)) | s[offset] }
                s[r] = value
            }
        case .extend(_, let isSigned):
            let a = o[0]
            if isSigned { return { s in s[r] = UInt64(bitPattern: signed(s[a], operandWidth)) & m } }
            return { s in s[r] = s[a] }
        case .wire, .output, .instanceInput:
            let a = o[0]
            return { s in s[r] = s[a] }
        default:
            return nil
        }
    }
}

/// The words of one memory, owned by an interpreter.
final class MemoryStorage {
    let depth: Int
    let wordsPerEntry: Int
    let pointer: UnsafeMutablePointer<UInt64>

    init(depth: Int, width: Int, contents: [BitVector]?) {
        self.depth = depth
        self.wordsPerEntry = BitVector.wordCount(forWidth: width)
        pointer = .allocate(capacity: depth * wordsPerEntry)
        pointer.initialize(repeating: 0, count: depth * wordsPerEntry)
        for (index, value) in (contents ?? []).prefix(depth).enumerated() {
            for (word, bits) in value.words.enumerated() { pointer[index * wordsPerEntry + word] = bits }
        }
    }

    deinit { pointer.deallocate() }

    /// Word `word` of entry `index`; 0 past the end (the hardware's value is undefined there).
    @inline(__always) func word(_ index: Int, _ word: Int) -> UInt64 {
        index < depth ? pointer[index * wordsPerEntry + word] : 0
    }

    @inline(__always) func setWord(_ index: Int, _ word: Int, _ value: UInt64) {
        if index < depth { pointer[index * wordsPerEntry + word] = value }
    }
}
