/// Memories written as vendor block RAM primitives, so that a registered
/// read (`Memory.readRegistered`) uses the RAM's own output register.
///
/// Synthesis tools infer block RAM from the portable form (a memory array,
/// a clocked read, a register after it) but put that register in the
/// fabric: Yosys 0.70 maps an ECP5 DP16KD with `REGMODE NOREG`, whose
/// 5.6 ns clock-to-output at speed grade -6 then starts every path after the
/// RAM, where `REGMODE OUTREG` gives 0.97 ns. The emitter therefore writes a
/// memory with one write port and one registered read port three ways:
///
/// ```
/// `ifdef PQA_ECP5      DP16KD tiles, REGMODE "OUTREG" (port A writes, port B reads)
/// `else                the portable form: the array, the read, the register
/// `endif
/// ```
///
/// Synthesis for ECP5 reads the Verilog with `-DPQA_ECP5` (`FPGAFamily.primitiveDefine`);
/// simulators and other targets read the portable form.
enum BlockRAMPrimitives {
    /// A DP16KD configuration: data bits per port and the address pins below
    /// the word address. The 36-bit one is the pseudo-dual-port mode
    /// (Yosys's `$__PDPW16KD_` map): port A writes 36 bits (`DIA` the low
    /// half, `DIB` the high), its four byte enables in `ADA[3:0]`; port B
    /// reads them (`DOA` the low half, `DOB` the high).
    struct ECP5Shape: Equatable {
        let width: Int
        let lowAddressPins: Int
        var depth: Int { 1 << (14 - lowAddressPins) }
        var isPseudoDualPort: Bool { width == 36 }

        /// Tiles side by side for a word of `bits`.
        func tiles(for bits: Int) -> Int { (bits + width - 1) / width }
    }

    /// The memories to write as primitives: simple dual port RAMs (no
    /// initial contents) that never read a word in the cycle it is written
    /// (a block RAM's two ports give no order there), with one read port,
    /// registered by `readRegistered`, whose word only that register reads,
    /// and that are large enough for block RAM (`prefersBlockRAM`).
    static func mapped(_ netlist: Netlist, live: Set<NodeID>, uses: (NodeID) -> Int) -> Set<Int> {
        var memories = Set<Int>()
        for (index, memory) in netlist.memories.enumerated() {
            guard memory.kind == .simpleDualPortRAM, memory.readDuringWrite == .undefined, memory.initialContents == nil, memory.writePort != nil,
                  memory.readPorts.count == 1, let port = memory.readPorts.first, port.synchronous,
                  let register = port.outputRegister, live.contains(register), uses(port.data) == 1,
                  prefersBlockRAM(depth: memory.depth, width: memory.type.width) else { continue }
            memories.insert(index)
        }
        return memories
    }

    /// Whether a memory of `depth` words of `width` bits belongs in DP16KD
    /// tiles rather than in distributed RAM: whether its tiles (`ecp5Shape`,
    /// the 36-bit mode included) cost no more than its 16x4 LUT RAMs in
    /// Yosys's own ECP5 costs (`techlibs/lattice/brams_16kd.txt`: 128 per
    /// DP16KD or PDPW16KD; `lutrams_trellis.txt`: 4 per TRELLIS_DPR16X4),
    /// the rule by which `synth_ecp5` itself would choose. A small memory
    /// (32 words of 72 bits: 256 against 144) stays in the portable form,
    /// marked for LUT RAM (`belongsInLUTRAM`), whose read is a LUT delay and
    /// needs no output register of its own.
    static func prefersBlockRAM(depth: Int, width: Int) -> Bool {
        guard let shape = ecp5Shape(depth: depth, width: width) else { return false }
        let lutRAMs = ((depth + 15) / 16) * ((width + 3) / 4)
        return shape.tiles(for: width) * 128 <= lutRAMs * 4
    }

    /// Whether a written memory in the portable form belongs in LUT RAM on
    /// ECP5: by `prefersBlockRAM`, or because a port reads it
    /// asynchronously (a FIFO's head), which only LUT RAM does. The emitter
    /// marks these memories `ram_style = "distributed"` for ECP5
    /// (`PQA_ECP5`), so Yosys does not weigh them otherwise and put one in
    /// block RAM without its output register (an asynchronous read's next
    /// register taken into the RAM), whose 5.6 ns would then start the path after it.
    static func belongsInLUTRAM(_ memory: MemorySpec) -> Bool {
        memory.writePort != nil && ecp5Shape(depth: memory.depth, width: memory.type.width) != nil
            && (!prefersBlockRAM(depth: memory.depth, width: memory.type.width) || memory.readPorts.contains { !$0.synchronous })
    }

    /// The DP16KD configuration for `depth` words of `width` bits, if any
    /// holds that many words: the widest true-dual-port one deep enough,
    /// or the 36-bit mode where the words fit it (512 at most) in fewer tiles.
    static func ecp5Shape(depth: Int, width: Int) -> ECP5Shape? {
        let pseudoDualPort = ECP5Shape(width: 36, lowAddressPins: 5)
        guard let dualPort = [ECP5Shape(width: 18, lowAddressPins: 4), ECP5Shape(width: 9, lowAddressPins: 3),
                              ECP5Shape(width: 4, lowAddressPins: 2), ECP5Shape(width: 2, lowAddressPins: 1),
                              ECP5Shape(width: 1, lowAddressPins: 0)].first(where: { $0.depth >= depth }) else { return nil }
        return depth <= pseudoDualPort.depth && pseudoDualPort.tiles(for: width) < dualPort.tiles(for: width) ? pseudoDualPort : dualPort
    }

    /// The nets, generate block and genvar the ECP5 form of a memory
    /// declares, their names starting with `prefix`.
    static func names(prefix: String) -> [String] {
        ["write_data", "read_data", "bram", "tile"].map { "\(prefix)_\($0)" }
    }

    /// The ECP5 form of memory `memory`: a generate loop of DP16KD tiles side
    /// by side, each `shape.width` bits of the word, writing through port A
    /// and reading through port B with the output register (in the 36-bit
    /// mode both halves of the word, each through its port's register);
    /// `output` is the name of the registered word, `prefix` that of the
    /// form's own nets (see `names`).
    static func ecp5Lines(_ memory: MemorySpec, shape: ECP5Shape, prefix name: String, names: EmissionNames, output: String) -> [String] {
        guard let write = memory.writePort, let read = memory.readPorts.first else { return [] }
        let width = memory.type.width, tiles = shape.tiles(for: width), wide = shape.isPseudoDualPort
        let padding = 14 - shape.lowAddressPins - memory.addressWidth
        let enable = names.value(write.enable)
        // Below the word address: in the 18-bit mode the byte enables (both
        // bytes: port A's write enable decides); in the 36-bit mode a zero and
        // the four byte enables, which carry the write enable (Yosys's map
        // ties WEA high there); else zeros.
        let writeLow: String
        switch shape.lowAddressPins {
        case 0: writeLow = ""
        case 5: writeLow = ", 1'b0, {4{\(enable)}}"
        case 4: writeLow = ", 2'b00, 2'b11"
        default: writeLow = ", \(shape.lowAddressPins)'b0"
        }
        let readLow = shape.lowAddressPins == 0 ? "" : ", \(shape.lowAddressPins)'b0"
        let pad = padding > 0 ? "\(padding)'b0, " : ""
        let tile = "\(name)_tile", busWidth = tiles * shape.width, w = shape.width
        /// `.DIA0(data_in[0]), ...`, nine pins a line, pin `k` taking bus bit `offset + k`.
        func pins(_ prefix: String, _ bus: String, count: Int, offset: Int = 0) -> [String] {
            stride(from: 0, to: count, by: 9).map { first in
                "                " + (first..<min(count, first + 9)).map { ".\(prefix)\($0)(\(bus)[\(offset + $0)])" }.joined(separator: ", ") + ","
            }
        }
        let busBits = wide ? 36 : 18
        let slice = "\(name)_write_data[\(w) * \(tile) +: \(w)]"
        let dataIn = w == busBits ? slice : "{\(busBits - w)'b0, \(slice)}"
        var lines = [
            "    wire [\(busWidth - 1):0] \(name)_write_data = \(busWidth == width ? names.ref(write.data) : "{\(busWidth - width)'b0, \(names.ref(write.data))}");",
            "    wire [\(busWidth - 1):0] \(name)_read_data;",
            "    genvar \(tile);",
            "    generate",
            "        for (\(tile) = 0; \(tile) < \(tiles); \(tile) = \(tile) + 1) begin : \(name)_bram",
            "            wire [13:0] write_pins = {\(pad)\(names.ref(write.address))\(writeLow)};",
            "            wire [13:0] read_pins = {\(pad)\(names.ref(read.address))\(readLow)};",
            "            wire [\(busBits - 1):0] data_in = \(dataIn);",
            "            wire [\(busBits - 1):0] data_out;",
            "            assign \(name)_read_data[\(w) * \(tile) +: \(w)] = data_out[\(w - 1):0];",
            "            DP16KD #(.DATA_WIDTH_A(\(w)), .DATA_WIDTH_B(\(w)), .REGMODE_A(\"\(wide ? "OUTREG" : "NOREG")\"), .REGMODE_B(\"OUTREG\"),",
            "                     .CSDECODE_A(\"0b000\"), .CSDECODE_B(\"0b000\"), .WRITEMODE_A(\"NORMAL\"), .WRITEMODE_B(\"NORMAL\"),",
            "                     .RESETMODE(\"SYNC\"), .GSR(\"AUTO\")) tile (",
            "                .CLKA(clk), .CEA(1'b1), .OCEA(1'b1), .WEA(\(wide ? "1'b1" : enable)), .RSTA(1'b0), .CSA0(1'b0), .CSA1(1'b0), .CSA2(1'b0),",
        ]
        lines += pins("ADA", "write_pins", count: 14) + pins("DIA", "data_in", count: 18)
        lines.append("                .CLKB(clk), .CEB(\(read.enable.map { names.value($0) } ?? "1'b1")), .OCEB(1'b1), .WEB(1'b0), .RSTB(1'b0), .CSB0(1'b0), .CSB1(1'b0), .CSB2(1'b0),")
        lines += pins("ADB", "read_pins", count: 14)
        lines += wide ? pins("DIB", "data_in", count: 18, offset: 18) : ["                " + (0..<18).map { ".DIB\($0)(1'b0)" }.joined(separator: ", ") + ","]
        var outputs = wide ? pins("DOA", "data_out", count: 18) + pins("DOB", "data_out", count: 18, offset: 18) : pins("DOB", "data_out", count: 18)
        outputs[outputs.count - 1].removeLast()  // the last pin takes no comma
        lines += outputs
        lines += [
            "            );",
            "        end",
            "    endgenerate",
            "    assign \(output) = \(name)_read_data[\(width - 1):0];",
        ]
        return lines
    }
}
