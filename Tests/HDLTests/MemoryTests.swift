import Testing
@testable import HDL

/// ROM, single-port and simple dual port RAM: synchronous reads are
/// read-first, enables hold the read data, asynchronous reads see writes on
/// the next cycle.
@Suite struct MemoryTests {
    @Test func romReadsItsContentsOneCycleLater() throws {
        let contents = [3, 1, 4, 1, 5, 9, 2]
        let module = TestModule { m in
            let address = m.input("address", .unsigned(3))
            let rom = m.rom("digits", .unsigned(4), contents: contents)
            m.output("data", .unsigned(4)) <== rom.read(address: address)
        }
        let sim = Interpreter(try module.elaborate())
        for (index, value) in contents.enumerated() {
            try sim.poke("address", index)
            sim.step()
            #expect(try sim.peekInt("data") == value)
        }
    }

    @Test func singlePortRAMIsReadFirst() throws {
        let module = TestModule { m in
            let address = m.input("address", .unsigned(2))
            let write = m.input("write", .bool)
            let data = m.input("wdata", .unsigned(8))
            m.output("rdata", .unsigned(8)) <== m.singlePortRAM("ram", depth: 4, .unsigned(8), address: address,
                                                               writeEnable: write, writeData: data)
        }
        let sim = Interpreter(try module.elaborate())
        try sim.poke("address", 2)
        try sim.poke("write", 1)
        try sim.poke("wdata", 0xAB)
        sim.step()
        #expect(try sim.peekInt("rdata") == 0)  // old contents: read-first
        try sim.poke("write", 0)
        sim.step()
        #expect(try sim.peekInt("rdata") == 0xAB)
    }

    @Test func simpleDualPortWithEnableAndAsyncRead() throws {
        let module = TestModule { m in
            let writeAddress = m.input("waddr", .unsigned(3)), readAddress = m.input("raddr", .unsigned(3))
            let write = m.input("write", .bool), readEnable = m.input("ren", .bool)
            let data = m.input("wdata", .unsigned(70))
            let ram = m.simpleDualPortRAM("ram", depth: 6, .unsigned(70))
            m.when(write) { ram.write(address: writeAddress, data: data) }
            m.output("sync", .unsigned(70)) <== ram.read(address: readAddress, enable: readEnable)
            m.output("async", .unsigned(70)) <== ram.readAsync(address: readAddress)
        }
        let sim = Interpreter(try module.elaborate())
        let wide = BitVector.ones(width: 70).shiftedRight(by: 3)
        try sim.poke("waddr", 5)
        try sim.poke("wdata", wide)
        try sim.poke("write", 1)
        try sim.poke("raddr", 5)
        try sim.poke("ren", 1)
        #expect(try sim.peek("async").isZero)
        sim.step()
        #expect(try sim.peek("async") == wide)
        #expect(try sim.peek("sync").isZero)
        try sim.poke("write", 0)
        sim.step()
        #expect(try sim.peek("sync") == wide)
        try sim.poke("raddr", 0)
        try sim.poke("ren", 0)
        sim.step()
        #expect(try sim.peek("sync") == wide)  // held while disabled
    }

    /// A memory that promised never to read a word while writing it returns
    /// the old word inverted when the design breaks the promise, so that
    /// co-simulation catches it; other reads are unaffected.
    @Test func readDuringAnUndefinedWriteIsGarbage() throws {
        let module = TestModule { m in
            let ram = m.simpleDualPortRAM("ram", depth: 4, .unsigned(8), readDuringWrite: .undefined)
            let (write, writeAddress, data) = (m.input("write", .bool), m.input("write_address", .unsigned(2)), m.input("wdata", .unsigned(8)))
            m.when(write) { ram.write(address: writeAddress, data: data) }
            m.output("rdata", .unsigned(8)) <== ram.read(address: m.input("read_address", .unsigned(2)))
        }
        let netlist = try module.elaborate()
        #expect(VerilogEmitter.emit(netlist).contains("(* no_rw_check *) reg  [7:0] ram [0:3];"))
        let sim = Interpreter(netlist)
        try sim.poke("write", 1)
        try sim.poke("write_address", 1)
        try sim.poke("wdata", 0x5A)
        try sim.poke("read_address", 1)
        sim.step()
        #expect(try sim.peekInt("rdata") == 0xFF)  // ~0: the old word, inverted
        try sim.poke("write_address", 2)
        sim.step()
        #expect(try sim.peekInt("rdata") == 0x5A)
    }
}
