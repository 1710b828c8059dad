/// A memory declared in a module: a ROM, a single-port RAM or a simple dual
/// port RAM. Emitted in the form Yosys and vendor tools infer as block RAM
/// (synchronous read) or LUT RAM (asynchronous read).
///
/// Timing of a synchronous read port: the address (and enable) present before
/// a rising edge selects the word that appears on `data` after it. A read of
/// the address being written in the same cycle returns the old word
/// (read-first).
public struct Memory {
    let index: Int
    unowned let builder: ModuleBuilder

    var spec: MemorySpec { builder.memories[index] }

    /// Whether a simple dual port RAM of `depth` words of `width` bits, read
    /// by `readRegistered`, is emitted as block RAM tiles on ECP5 (see
    /// `BlockRAMPrimitives.prefersBlockRAM`): its words then come from a
    /// block RAM column, a long route from the logic that uses them.
    public static func isBlockRAMSized(depth: Int, width: Int) -> Bool {
        BlockRAMPrimitives.prefersBlockRAM(depth: depth, width: width)
    }

    /// Bits of a read or write address.
    public var addressWidth: Int { spec.addressWidth }

    /// Adds a synchronous read port. With `enable`, the output keeps its value
    /// in cycles where `enable` is false.
    public func read(address: Signal, enable: Signal? = nil, name: String? = nil,
                     fileID: String = #fileID, line: Int = #line) -> Signal {
        addReadPort(address: address, enable: enable, synchronous: true, name: name,
                    at: SourceLocation(fileID: fileID, line: line))
    }

    /// Adds a synchronous read port followed by an output register: the word
    /// at `address` (sampled while `enable` is high) appears two cycles later.
    /// The output register takes every edge. On FPGAs whose block RAM has an
    /// output register of its own (ECP5 DP16KD, Xilinx RAMB18E1) the emitted
    /// Verilog uses it (see `BlockRAMPrimitives`), which takes the RAM's slow
    /// clock-to-output off every path; elsewhere it is a register after the RAM.
    public func readRegistered(address: Signal, enable: Signal? = nil, name: String,
                               fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        let word = addReadPort(address: address, enable: enable, synchronous: true, name: "\(name)_word", at: location)
        let registered = builder.delayed(word, name: name, fileID: fileID, line: line)
        builder.memories[index].readPorts[spec.readPorts.count - 1].outputRegister = registered.id
        return registered
    }

    /// `readRegistered` with its address and enable registered first, so
    /// the arithmetic that computes the address stays off the block RAM's
    /// inputs: the word at `address` appears three cycles later.
    public func readPipelined(address: Signal, enable: Signal, name: String,
                              fileID: String = #fileID, line: Int = #line) -> Signal {
        let registeredAddress = builder.delayed(address, name: "\(name)_address_q", fileID: fileID, line: line)
        let registeredEnable = builder.delayed(enable, name: "\(name)_enable_q", reset: 0, fileID: fileID, line: line)
        return readRegistered(address: registeredAddress, enable: registeredEnable, name: name, fileID: fileID, line: line)
    }

    /// `readPipelined` whose enable the caller has registered: for memories
    /// read with one enable, each from a register of its own
    /// (`ModuleBuilder.fannedOut`), where identical enable registers would be
    /// merged by synthesis into one register across all of them.
    public func readPipelined(address: Signal, registeredEnable: Signal, name: String,
                              fileID: String = #fileID, line: Int = #line) -> Signal {
        let registeredAddress = builder.delayed(address, name: "\(name)_address_q", fileID: fileID, line: line)
        return readRegistered(address: registeredAddress, enable: registeredEnable, name: name, fileID: fileID, line: line)
    }

    /// Adds an asynchronous (combinational) read port: LUT RAM, not block RAM.
    public func readAsync(address: Signal, name: String? = nil, fileID: String = #fileID, line: Int = #line) -> Signal {
        addReadPort(address: address, enable: nil, synchronous: false, name: name,
                    at: SourceLocation(fileID: fileID, line: line))
    }

    /// Writes `data` at `address` on the next rising edge, under the enclosing
    /// `when` conditions. The last write on a path wins.
    public func write(address: Signal, data: Signal, fileID: String = #fileID, line: Int = #line) {
        let location = SourceLocation(fileID: fileID, line: line)
        guard let port = spec.writePort else {
            builder.error("memory '\(spec.name)' is a ROM and cannot be written", at: location)
            return
        }
        checkAddress(address, at: location)
        let signal = { (id: NodeID) in Signal(id: id, type: builder.nodes[id.index].type, builder: builder) }
        builder.connect(signal(port.enable), builder.constant(true, fileID: fileID, line: line), at: location)
        builder.connect(signal(port.address), address, at: location)
        builder.connect(signal(port.data), data, at: location)
    }

    private func checkAddress(_ address: Signal, at location: SourceLocation) {
        if address.type != .unsigned(addressWidth) {
            builder.error("address of memory '\(spec.name)' (depth \(spec.depth)) must be UInt<\(addressWidth)>, got \(builder.describe(address))", at: location)
        }
    }

    private func addReadPort(address: Signal, enable: Signal?, synchronous: Bool, name: String?, at location: SourceLocation) -> Signal {
        checkAddress(address, at: location)
        if let enable, !enable.type.isBool {
            builder.error("read enable of memory '\(spec.name)' must be Bool, got \(builder.describe(enable))", at: location)
        }
        let portIndex = spec.readPorts.count
        let dataName = name ?? "\(spec.name)_rdata\(portIndex)"
        _ = builder.claim(dataName, at: location)
        let data = builder.addNode(.memoryRead(memory: index, port: portIndex), spec.type, name: dataName, at: location)
        builder.memories[index].readPorts.append(
            MemorySpec.ReadPort(address: address.id, enable: enable?.id, synchronous: synchronous, data: data.id, outputRegister: nil))
        return data
    }
}

extension ModuleBuilder {
    /// A read-only memory holding `contents` (one value per word, each fitting
    /// `type`), emitted with a `$readmemh` image.
    public func rom(_ name: String, _ type: SignalType, contents: [Int], fileID: String = #fileID, line: Int = #line) -> Memory {
        let location = SourceLocation(fileID: fileID, line: line)
        let words = contents.enumerated().map { offset, value in
            guard let bits = BitVector(width: max(1, type.width), exactly: value, signed: type.isSigned) else {
                error("ROM '\(name)' word \(offset) is \(value), which does not fit in \(type)", at: location)
                return BitVector.zero(width: max(1, type.width))
            }
            return bits
        }
        return memory(name, .rom, depth: contents.count, type, contents: words, at: location)
    }

    /// A read-only memory from raw words, each of `type.width` bits.
    public func rom(_ name: String, _ type: SignalType, words: [BitVector], fileID: String = #fileID, line: Int = #line) -> Memory {
        let location = SourceLocation(fileID: fileID, line: line)
        for (offset, word) in words.enumerated() where word.width != type.width {
            error("ROM '\(name)' word \(offset) has \(word.width) bits; \(type) needs \(type.width)", at: location)
        }
        return memory(name, .rom, depth: words.count, type, contents: words, at: location)
    }

    /// A RAM with one write port and any number of read ports (call
    /// `read(address:)` for each): the simple dual port block RAM. With
    /// `readDuringWrite: .undefined` the design promises never to read a word
    /// in the cycle it is written (see `MemorySpec.ReadDuringWrite`).
    public func simpleDualPortRAM(_ name: String, depth: Int, _ type: SignalType,
                                  readDuringWrite: MemorySpec.ReadDuringWrite = .oldData,
                                  fileID: String = #fileID, line: Int = #line) -> Memory {
        memory(name, .simpleDualPortRAM, depth: depth, type, contents: nil, readDuringWrite: readDuringWrite,
               at: SourceLocation(fileID: fileID, line: line))
    }

    /// A single-port RAM: one address for reading and writing, synchronous,
    /// read-first. Returns the read data.
    public func singlePortRAM(_ name: String, depth: Int, _ type: SignalType, address: Signal,
                              writeEnable: Signal, writeData: Signal, enable: Signal? = nil,
                              fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        let ram = memory(name, .singlePortRAM, depth: depth, type, contents: nil, at: location)
        when(writeEnable, fileID: fileID, line: line) {
            ram.write(address: address, data: writeData, fileID: fileID, line: line)
        }
        return ram.read(address: address, enable: enable, fileID: fileID, line: line)
    }

    private func memory(_ name: String, _ kind: MemorySpec.Kind, depth: Int, _ type: SignalType, contents: [BitVector]?,
                        readDuringWrite: MemorySpec.ReadDuringWrite = .oldData, at location: SourceLocation) -> Memory {
        _ = claim(name, at: location)
        _ = checkWidth(type.width, what: "memory '\(name)'", at: location)
        if depth < 1 { error("memory '\(name)' has depth \(depth); it needs at least one word", at: location) }
        let spec = MemorySpec(name: name, kind: kind, depth: max(1, depth), type: type.withWidth(max(1, type.width)),
                              readDuringWrite: readDuringWrite, initialContents: contents, readPorts: [], writePort: nil, location: location)
        memories.append(spec)
        if kind != .rom {
            // Not written: the enable is low, and the address and data do not matter.
            let enable = internalNet(.bool, dontCare: false, at: location)
            let address = internalNet(.unsigned(spec.addressWidth), dontCare: true, at: location)
            let data = internalNet(spec.type, dontCare: true, at: location)
            memories[memories.count - 1].writePort = MemorySpec.WritePort(enable: enable, address: address, data: data)
        }
        return Memory(index: memories.count - 1, builder: self)
    }

    /// An unnamed net assigned zero at the very start of the module, so later
    /// conditional assignments override it. A `dontCare` zero is dropped
    /// where a branch assigns the net: `when (c) { addr <== a }` makes
    /// `addr = a`, not `c ? a : 0` (the write enable already says when it counts).
    private func internalNet(_ type: SignalType, dontCare: Bool, at location: SourceLocation) -> NodeID {
        let net = addNode(.wire(driver: nil), type, at: location)
        let zero = addNode(.constant(.zero(width: type.width)), type, at: location)
        if dontCare { dontCareValues.insert(zero.id) }
        root.statements.insert(.connect(target: net.id, value: zero.id, location: location), at: 0)
        return net.id
    }
}
