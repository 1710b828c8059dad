import HDL

/// A simple dual port RAM whose words are kept in several memories of at
/// most `partBits` bits each (the word's low bits in the first), each read
/// from an address and an enable register of its own (`fannedOut`, kept
/// apart by synthesis). A wide, deep LUT RAM read from one address register
/// hangs hundreds of cells off that register across the device; in parts,
/// each register drives its own part's cells.
struct PartedRAM {
    private let parts: [(memory: Memory, low: Int, high: Int)]
    private let m: ModuleBuilder
    private let name: String

    /// Bits of a read or write address.
    var addressWidth: Int { parts[0].memory.addressWidth }

    init(_ m: ModuleBuilder, name: String, depth: Int, width: Int, partBits: Int) {
        precondition(width >= 1 && partBits >= 1, "a parted RAM needs words and parts of at least one bit")
        self.m = m
        self.name = name
        parts = stride(from: 0, to: width, by: partBits).enumerated().map { index, low in
            let high = min(low + partBits, width) - 1
            let memory = m.simpleDualPortRAM("\(name)_\(index)", depth: depth, .unsigned(high - low + 1), readDuringWrite: .undefined)
            return (memory, low, high)
        }
    }

    /// Writes `data` at `address` when `enable`, two cycles later, as
    /// `Memory.writeBehindReads` does: the write and its data registered
    /// twice, then each part takes its bits.
    func writeBehindReads(when enable: Signal, address: Signal, data: Signal) {
        let write = m.delayed(m.delayed(enable, name: "\(name)_write_q", reset: 0), name: "\(name)_write_qq", reset: 0)
        let writeAddress = m.delayed(m.delayed(address, name: "\(name)_write_address_q"), name: "\(name)_write_address_qq")
        let writeData = m.delayed(m.delayed(data, name: "\(name)_write_data_q"), name: "\(name)_write_data_qq")
        m.when(write) {
            for part in parts { part.memory.write(address: writeAddress, data: writeData[high: part.high, low: part.low]) }
        }
    }

    /// The word at `address` (sampled while `enable` is high) three cycles
    /// later, as `Memory.readPipelined`: each part's address and enable
    /// registered on their own, then its block or LUT RAM read and output
    /// register (`name_K`).
    func readPipelined(address: Signal, enable: Signal, name: String) -> Signal {
        let addresses = m.fannedOut(address, copies: parts.count, name: "\(name)_address")
        let enables = m.fannedOut(enable, copies: parts.count, name: "\(name)_enable")
        let words = parts.enumerated().map { index, part in
            part.memory.readRegistered(address: addresses[index], enable: enables[index], name: "\(name)_\(index)")
        }
        return concatenate(words.reversed())
    }
}
