/// A first-in first-out buffer between two valid/ready streams, for any depth
/// (not only powers of two). The payload and `last` are stored together in a
/// LUT RAM read asynchronously, so a beat written in one cycle can leave in
/// the next. The RAM has one word more than the FIFO holds, and the word
/// after the last beat, always free, takes the input in every cycle: the
/// RAM's write enable is constant, so no handshake logic fans out to a
/// wide RAM's every cell; only a beat that moves advances the write pointer.
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

    /// A FIFO of `depth` beats of `width` bits.
    public init(depth: Int = 4, width: Int = 8) {
        self.depth = depth
        self.width = width
    }

    public var moduleName: String { "stream_fifo" }
    public var parameters: [ModuleParameter] { [.init("depth", depth), .init("width", width)] }

    /// Cycles from a beat entering to it being offered at the output.
    public static let latency = 1

    public func inputs(_ ports: PortFields) -> Stream<Signal> { ports.stream("in", .unsigned(width)) }
    public func outputs(_ ports: PortFields) -> Stream<Signal> { ports.stream("out", .unsigned(width)) }

    public func build(_ m: ModuleBuilder, inputs input: Stream<Signal>, outputs output: Stream<Signal>) {
        let storage = m.simpleDualPortRAM("storage", depth: depth + 1, .unsigned(width + 1))
        let pointerType = SignalType.unsigned(storage.addressWidth)
        let countType = SignalType.unsigned(bitsToRepresent(depth))
        let writePointer = m.register("write_pointer", pointerType, reset: 0)
        let readPointer = m.register("read_pointer", pointerType, reset: 0)
        let count = m.register("count", countType, reset: 0)

        let notFull = m.register("not_full", reset: true)
        let notEmpty = m.register("not_empty", reset: false)
        input.ready <== notFull
        output.valid <== notEmpty
        let head = storage.readAsync(address: readPointer, name: "head")
        output.data <== head.truncated(to: width)
        if let last = output.last { last <== head.bit(width) }

        let push = input.fire.named("push")
        let pop = output.fire.named("pop")
        storage.write(address: writePointer, data: concatenate([input.last ?? m.constant(false), input.data]))
        m.when(push) { writePointer <== wrappingIncrement(writePointer, m) }
        m.when(pop) { readPointer <== wrappingIncrement(readPointer, m) }
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
