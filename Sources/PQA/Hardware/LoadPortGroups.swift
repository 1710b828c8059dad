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

/// A write into a two-bank memory, decoded from the load stream: in a cycle
/// with `enable`, `data` goes to word `address` (the bank's base included) of
/// bank memory `index`.
struct MemoryWrite: PortGroup {
    let enable: Signal
    /// Which of several memories (absent for a single memory).
    let index: Signal?
    let address, data: Signal
}

extension MemoryWrite {
    /// The write port of memories of `depth` words of `wordBits`, chosen by
    /// an `index` of `indexBits` when there are several.
    init(_ ports: PortFields, depth: Int, wordBits: Int, indexBits: Int? = nil) {
        enable = ports.bool("enable")
        index = indexBits.map { ports("index", .unsigned($0)) }
        address = ports("address", .unsigned(max(1, ceilLog2(depth))))
        data = ports("data", .unsigned(wordBits))
    }

    /// Whether the write goes to memory `bank` of several.
    func targets(_ bank: Int) -> Signal {
        guard let index else { return enable }
        return enable & (index == bank)
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
    /// A committed layer's counts settle (the cycle after `tlast`).
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
    /// The bank new work runs on, and whether a layer is active with work to start.
    let bank, valid: Signal
    /// The swap to the loaded bank happens this cycle.
    let swap, loadBank: Signal
}

extension ActiveBank {
    init(_ ports: PortFields) {
        bank = ports.bool("bank")
        valid = ports.bool("valid")
        swap = ports.bool("swap")
        loadBank = ports.bool("load_bank")
    }
}

extension BankState {
    /// The fields a stage that starts work reads.
    var active: ActiveBank { ActiveBank(bank: activeBank, valid: activeValid, swap: swap, loadBank: loadBank) }

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
