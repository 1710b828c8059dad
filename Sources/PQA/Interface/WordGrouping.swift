/// Which memories one load beat writes at once.
///
/// Memories of one kind form `rows` rows of `memories` each (prototypes:
/// `NsVec` subspace lanes of `NpVec` prototype lanes; tables: one row of
/// `NsVec` subspace lanes). Every memory of a row group shares its word
/// addresses, so a beat carries `wordsPerBeat` words side by side in its
/// data field and writes them at the same address of consecutive memories of
/// one row: memory `q` of row `r` is written by beats with
/// `index = r x ceil(memories / wordsPerBeat) + q / wordsPerBeat`, from data
/// slot `q % wordsPerBeat` (bits `[slot x wordBits +: wordBits]`). Grouping
/// within a row keeps the hardware free of multiplexers (each memory reads a
/// fixed slot) and the beat count a product of the layer's sizes.
public struct WordGrouping: Sendable, Hashable {
    /// Rows of memories.
    public let rows: Int
    /// Memories per row.
    public let memories: Int
    /// Words (memories) one beat writes.
    public let wordsPerBeat: Int
    /// Bits of one word.
    public let wordBits: Int

    /// A grouping of `rows x memories` memories of `wordBits`-bit words, as
    /// many words per beat as fit in `dataBits` (at least one, at most a row).
    public init(rows: Int, memories: Int, wordBits: Int, dataBits: Int) {
        self.rows = rows
        self.memories = memories
        self.wordBits = wordBits
        wordsPerBeat = max(1, min(memories, dataBits / max(1, wordBits)))
    }

    /// Index values per row: `ceil(memories / wordsPerBeat)`.
    public var groupsPerRow: Int { ceilDivide(memories, wordsPerBeat) }
    /// Distinct index values: `rows x groupsPerRow`.
    public var indexCount: Int { rows * groupsPerRow }
    /// Bits of the words of one beat.
    public var beatWordBits: Int { wordsPerBeat * wordBits }

    /// The index of the beats that write memory `memory` of row `row`.
    public func index(row: Int, memory: Int) -> Int { row * groupsPerRow + memory / wordsPerBeat }

    /// The data slot memory `memory` of a row reads.
    public func slot(memory: Int) -> Int { memory % wordsPerBeat }

    /// The memories (row, memory) the slots of a beat with `index` write;
    /// slots past the row's last memory write nothing.
    public func targets(index: Int) -> [(row: Int, memory: Int)] {
        let row = index / groupsPerRow, first = index % groupsPerRow * wordsPerBeat
        return (first..<min(first + wordsPerBeat, memories)).map { (row, $0) }
    }

    /// Beats per row that write `count` items spread over chunks of a row's
    /// `memories` (prototypes over prototype chunks, subspaces over subspace
    /// groups): the sum over chunks `c` of `ceil(min(memories, count - c x memories) / wordsPerBeat)`.
    public func beats(spreading count: Int) -> Int {
        (0..<ceilDivide(max(0, count), memories)).reduce(0) { $0 + ceilDivide(min(memories, count - $1 * memories), wordsPerBeat) }
    }

    /// The first item of every beat of a row over `chunks` chunks: `beats(spreading: count)`
    /// is the number of these below `count` (how the hardware counts them).
    public func beatStarts(chunks: Int) -> [Int] {
        (0..<chunks).flatMap { chunk in (0..<groupsPerRow).map { chunk * memories + $0 * wordsPerBeat } }
    }
}
