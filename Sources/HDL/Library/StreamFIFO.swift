/// A first-in first-out buffer between two valid/ready streams, for any depth
/// (not only powers of two). The payload and `last` are stored together in a
/// LUT RAM read asynchronously, so a beat written in one cycle can leave in
/// the next. The RAM has one word more than the FIFO holds, and the word
/// after the last beat, always free, takes the input in every cycle: the
/// RAM's write enable is constant, so no handshake logic fans out to a
/// wide RAM's every cell; only a beat that moves advances the write pointer.
/// A word wider than `partWidth` bits is read in parts, each part its own
/// RAM with its own read pointer (a counter of its own, enabled by the
/// pop), so that no register's net spans every cell of a wide beat (a
/// 257-bit word on ECP5 is 130 LUT-RAM cells) on the asynchronous read.
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
    /// Most bits of the stored word (payload and `last`) one read pointer reads.
    public var partWidth: Int

    /// A FIFO of `depth` beats of `width` bits, read in parts of at most
    /// `partWidth` bits.
    public init(depth: Int = 4, width: Int = 8, partWidth: Int = 32) {
        self.depth = depth
        self.width = width
        self.partWidth = max(1, partWidth)
    }

    /// Parts of the stored word, each with its own read pointer.
    public var parts: Int { (width + 1 + partWidth - 1) / partWidth }

    public var moduleName: String { "stream_fifo" }
    public var parameters: [ModuleParameter] {
        [.init("depth", depth), .init("width", width)] + (parts > 1 ? [.init("read_parts", parts)] : [])
    }

    /// Cycles from a beat entering to it being offered at the output.
    public static let latency = 1

    public func inputs(_ ports: PortFields) -> Stream<Signal> { ports.stream("in", .unsigned(width)) }
    public func outputs(_ ports: PortFields) -> Stream<Signal> { ports.stream("out", .unsigned(width)) }

    public func build(_ m: ModuleBuilder, inputs input: Stream<Signal>, outputs output: Stream<Signal>) {
        // Each part's lowest bit and width.
        let partBits = (0..<parts).map { part in (low: part * partWidth, width: min(partWidth, width + 1 - part * partWidth)) }
        let storage = partBits.indices.map { part in
            m.simpleDualPortRAM(parts == 1 ? "storage" : "storage_part\(part)", depth: depth + 1, .unsigned(partBits[part].width))
        }
        let pointerType = SignalType.unsigned(storage[0].addressWidth)
        let countType = SignalType.unsigned(bitsToRepresent(depth))
        let writePointer = m.register("write_pointer", pointerType, reset: 0)
        let readPointers = partBits.indices.map { part in
            m.register(parts == 1 ? "read_pointer" : "read_pointer_part\(part)", pointerType, reset: 0)
        }
        let count = m.register("count", countType, reset: 0)

        let notFull = m.register("not_full", reset: true)
        let notEmpty = m.register("not_empty", reset: false)
        input.ready <== notFull
        output.valid <== notEmpty
        let head = concatenate(partBits.indices.reversed().map { part in
            storage[part].readAsync(address: readPointers[part], name: parts == 1 ? "head" : "head_part\(part)")
        })
        output.data <== head.truncated(to: width)
        if let last = output.last { last <== head.bit(width) }

        let push = input.fire.named("push")
        let pop = output.fire.named("pop")
        let word = concatenate([input.last ?? m.constant(false), input.data])
        for (ram, bits) in zip(storage, partBits) {
            ram.write(address: writePointer, data: parts == 1 ? word : word[high: bits.low + bits.width - 1, low: bits.low])
        }
        m.when(push) { writePointer <== wrappingIncrement(writePointer, m) }
        m.when(pop) {
            for pointer in readPointers { pointer <== wrappingIncrement(pointer, m) }
        }
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
