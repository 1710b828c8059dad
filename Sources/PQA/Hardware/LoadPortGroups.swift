import HDL

/// A load beat's fields as the hardware reads them (see `LoadBeatLayout`).
struct LoadBeatFields: PortGroup {
    let kind, index, address, data: Signal
}

extension LoadBeatFields {
    /// The fields as ports named `kind`, `index`, `address`, `data`.
    init(_ ports: PortFields, _ layout: LoadBeatLayout) {
        kind = ports("kind", .unsigned(layout.kindBits))
        index = ports("index", .unsigned(layout.indexBits))
        address = ports("address", .unsigned(layout.addressBits))
        data = ports("data", .unsigned(layout.dataBits))
    }

    /// The fields of a raw beat (an AXI `tdata`), least significant first.
    init(bits: Signal, _ layout: LoadBeatLayout) {
        var low = 0
        func field(_ width: Int) -> Signal {
            defer { low += width }
            return bits[high: low + width - 1, low: low]
        }
        kind = field(layout.kindBits)
        index = field(layout.indexBits)
        address = field(layout.addressBits)
        data = field(layout.dataBits)
    }

    /// Whether the beat is of `kind`.
    func isKind<Kind: RawRepresentable>(_ kind: Kind) -> Signal where Kind.RawValue == Int { self.kind == kind.rawValue }
}

/// A write into two-bank memories, decoded from the load stream: in a cycle
/// with `enable`, the memories `index` names (see `WordGrouping`) each take
/// their word of `data` at `address` (the bank's base included).
struct MemoryWrite: PortGroup {
    let enable: Signal
    /// Which memories of several (absent for a single memory).
    let index: Signal?
    let address, data: Signal
    /// Which memories an index selects and where each finds its word (not a port).
    let grouping: WordGrouping
}

extension MemoryWrite {
    /// The write port of memories of `depth` words grouped by `grouping`,
    /// chosen by an `index` of `indexBits` when there are several.
    init(_ ports: PortFields, depth: Int, grouping: WordGrouping, indexBits: Int? = nil) {
        enable = ports.bool("enable")
        index = indexBits.map { ports("index", .unsigned($0)) }
        address = ports("address", .unsigned(max(1, ceilLog2(depth))))
        data = ports("data", .unsigned(grouping.beatWordBits))
        self.grouping = grouping
    }

    /// The write port of memories of `depth` words of `wordBits`, one word a
    /// beat, chosen by an `index` of `indexBits` when there are several.
    init(_ ports: PortFields, depth: Int, wordBits: Int, indexBits: Int? = nil) {
        self.init(ports, depth: depth, grouping: .single(wordBits: wordBits, memories: indexBits.map { 1 << $0 } ?? 1), indexBits: indexBits)
    }

    /// Whether the write goes to memory `memory` of row `row`.
    func targets(row: Int = 0, _ memory: Int) -> Signal {
        guard let index else { return enable }
        return enable & (index == grouping.index(row: row, memory: memory))
    }

    /// The word memory `memory` of a row takes.
    func word(_ memory: Int) -> Signal { grouping.word(of: data, memory: memory) }

    /// The write a cycle later, registered inside the module whose memories
    /// it writes (see `StagedWrite`); its registers' names start with `name`.
    func staged(_ m: ModuleBuilder, name: String) -> StagedWrite { StagedWrite(self, m, name: name) }
}

/// A `MemoryWrite` registered beside the memories it writes, a cycle later:
/// the address and the data once, each memory's enable decoded from the
/// port and registered on its own (`enable(row:_:)`), so neither the index
/// decode nor one enable register's route to memories spread over the
/// device lies in front of a block RAM's write pins. A load beat's write
/// then lands three cycles after the beat moves; the tlast beat's still
/// lands before the swap that makes its bank the one read.
struct StagedWrite {
    private let port: MemoryWrite
    private let m: ModuleBuilder
    private let name: String
    let address, data: Signal

    fileprivate init(_ port: MemoryWrite, _ m: ModuleBuilder, name: String) {
        self.port = port
        self.m = m
        self.name = name
        address = m.delayed(port.address, name: "\(name)_address_q")
        data = m.delayed(port.data, name: "\(name)_data_q")
    }

    /// Whether the write goes to memory `memory` of row `row`: a register of its own.
    func enable(row: Int = 0, _ memory: Int) -> Signal {
        m.delayed(port.targets(row: row, memory), name: "\(name)_enable_\(row)_\(memory)_q", reset: 0)
    }

    /// The word memory `memory` of a row takes.
    func word(_ memory: Int) -> Signal { port.grouping.word(of: data, memory: memory) }
}

extension WordGrouping {
    /// One word a beat for each of `memories` memories in one row.
    static func single(wordBits: Int, memories: Int) -> WordGrouping {
        WordGrouping(rows: 1, memories: memories, wordBits: wordBits, dataBits: wordBits)
    }

    /// The word memory `memory` of a row finds in a beat's `data`: its slot.
    func word(of data: Signal, memory: Int) -> Signal {
        wordsPerBeat == 1 ? data : data[high: (slot(memory: memory) + 1) * wordBits - 1, low: slot(memory: memory) * wordBits]
    }
}

/// Which bank of the layer registers and memories runs, and which loads.
struct BankState: PortGroup {
    /// The bank new work runs on (a `Bool`: bank 0 or 1).
    let activeBank: Signal
    /// A layer is active with work still to start.
    let activeValid: Signal
    /// A committed layer waits for the swap.
    let pending: Signal
    /// A committed layer's last beat is decoded, its checks run and decide (the three cycles after `tlast`).
    let committing: Signal
    /// The swap happens this cycle.
    let swap: Signal
    /// The bank the load stream writes (the one not running).
    let loadBank: Signal
    /// No unit of work is in flight in either bank.
    let idleBanks: Signal
}

/// What a stage that starts work reads of the bank state.
struct ActiveBank: PortGroup {
    /// The bank new work runs on.
    let bank: Signal
    /// The swap to the loaded bank happens this cycle.
    let swap, loadBank: Signal
}

extension ActiveBank {
    init(_ ports: PortFields) {
        bank = ports.bool("bank")
        swap = ports.bool("swap")
        loadBank = ports.bool("load_bank")
    }
}

extension BankState {
    /// The fields a stage that starts work reads.
    var active: ActiveBank { ActiveBank(bank: activeBank, swap: swap, loadBank: loadBank) }

    init(_ ports: PortFields) {
        activeBank = ports.bool("active_bank")
        activeValid = ports.bool("active_valid")
        pending = ports.bool("pending")
        committing = ports.bool("committing")
        swap = ports.bool("swap")
        loadBank = ports.bool("load_bank")
        idleBanks = ports.bool("idle_banks")
    }
}

/// Events of the pipeline that the layer control counts, per bank, to know
/// when a bank is free to load and when a layer ends.
struct WorkProgress: PortGroup {
    /// A unit of work (a slot, or a baseline column) starts on the active bank.
    let started: Signal
    /// The unit starting is the layer's last.
    let layerEnds: Signal
    /// A unit of work left the pipeline, and the bank it used.
    let finished, finishedBank: Signal
}

extension WorkProgress {
    init(_ ports: PortFields) {
        started = ports.bool("started")
        layerEnds = ports.bool("layer_ends")
        finished = ports.bool("finished")
        finishedBank = ports.bool("finished_bank")
    }
}
