/// A first-in first-out buffer between two valid/ready streams, for any depth
/// (not only powers of two). The payload and `last` are stored together in a
/// LUT RAM read asynchronously, so a beat written in one cycle can leave in
/// the next. The RAM has one word more than the FIFO holds, and the word
/// after the last beat, always free, takes the input in every cycle: the
/// RAM's write enable is constant, so no handshake logic fans out to a
/// wide RAM's every cell; only a beat that moves advances the write pointer.
/// A wide word is stored in parts of at most `partWidth` bits, each its own
/// RAM read and written through its own copy of the pointers, so that no
/// pointer register drives more than a part's cells (a 257-bit word on ECP5
/// is 130 LUT-RAM cells, one pointer's reach across much of the die).
///
/// `in_ready` is high while the FIFO holds fewer than `depth` beats;
/// `out_valid` is high while it holds at least one. Both are registers set a
/// cycle ahead from the count and the handshakes, so a handshake's `fire`
/// is one gate from a register and the count's compares are off its path.
public struct StreamFIFO: Circuit {
    /// Beats it can hold.
    public var depth: Int
    /// Bits of the payload.
    public var width: Int
    /// Most bits of a RAM part (payload and `last` together).
    public var partWidth: Int

    /// A FIFO of `depth` beats of `width` bits, stored in parts of at most
    /// `partWidth` bits.
    public init(depth: Int = 4, width: Int = 8, partWidth: Int = 32) {
        precondition(depth >= 1 && width >= 1 && partWidth >= 1, "a FIFO holds at least one beat of at least one bit, in parts of at least one bit")
        self.depth = depth
        self.width = width
        self.partWidth = partWidth
    }

    /// RAM parts of the stored word (`width` bits and `last`).
    public var parts: Int { (width + 1 + partWidth - 1) / partWidth }

    public var moduleName: String { "stream_fifo" }
    public var parameters: [ModuleParameter] {
        [.init("depth", depth), .init("width", width)] + (parts > 1 ? [.init("parts", parts)] : [])
    }

    /// Cycles from a beat entering to it being offered at the output.
    public static let latency = 1

    public func inputs(_ ports: PortFields) -> Stream<Signal> { ports.stream("in", .unsigned(width)) }
    public func outputs(_ ports: PortFields) -> Stream<Signal> { ports.stream("out", .unsigned(width)) }

    public func build(_ m: ModuleBuilder, inputs input: Stream<Signal>, outputs output: Stream<Signal>) {
        // Each part's lowest bit and width.
        let partBits = (0..<parts).map { part in (low: part * partWidth, width: min(partWidth, width + 1 - part * partWidth)) }
        let storage = partBits.enumerated().map { part, bits in
            m.simpleDualPortRAM(parts == 1 ? "storage" : "storage_part\(part)", depth: depth + 1, .unsigned(bits.width))
        }
        let pointerType = SignalType.unsigned(storage[0].addressWidth)
        let countType = SignalType.unsigned(bitsToRepresent(depth))
        let writePointer = m.register("write_pointer", pointerType, reset: 0)
        let readPointer = m.register("read_pointer", pointerType, reset: 0)
        let count = m.register("count", countType, reset: 0)

        let notFull = m.register("not_full", reset: true)
        let notEmpty = m.register("not_empty", reset: false)
        input.ready <== notFull
        output.valid <== notEmpty
        let push = input.fire.named("push")
        let pop = output.fire.named("pop")
        let nextWritePointer = mux(push, wrappingIncrement(writePointer, m), writePointer)
        let nextReadPointer = mux(pop, wrappingIncrement(readPointer, m), readPointer)
        writePointer <== nextWritePointer
        readPointer <== nextReadPointer
        // Each part's own pointers: copies of the pointers' next values,
        // registered and reset like them.
        let writeAddresses = parts == 1 ? [writePointer] : m.fannedOut(nextWritePointer, copies: parts, name: "write_pointer", reset: 0)
        let readAddresses = parts == 1 ? [readPointer] : m.fannedOut(nextReadPointer, copies: parts, name: "read_pointer", reset: 0)

        let word = concatenate([input.last ?? m.constant(false), input.data])
        let head = concatenate((0..<parts).reversed().map { part in
            let bits = partBits[part]
            storage[part].write(address: writeAddresses[part], data: word[high: bits.low + bits.width - 1, low: bits.low])
            return storage[part].readAsync(address: readAddresses[part], name: parts == 1 ? "head" : "head_part\(part)")
        })
        output.data <== head.truncated(to: width)
        if let last = output.last { last <== head.bit(width) }
        m.when(push & !pop) { count <== count + 1 }
            .elseWhen(pop & !push) { count <== count - 1 }
        // The flags of the next count: a push leaves a beat in, a pop of the
        // only one (without a push) empties it; full is reached by a push
        // into the last free place, left only by a pop.
        let several = depth >= 2 ? count >= 2 : m.constant(false)
        notEmpty <== push | several | ((count == 1) & !pop)
        notFull <== pop | ((count != depth) & !((count == depth - 1) & push))
    }

    /// The next word of the RAM's `depth + 1`.
    private func wrappingIncrement(_ pointer: Signal, _ m: ModuleBuilder) -> Signal {
        depth + 1 == 1 << pointer.width ? pointer + 1 : mux(pointer == depth, m.constant(0, pointer.type), pointer + 1)
    }
}
