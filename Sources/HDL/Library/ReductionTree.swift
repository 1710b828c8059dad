extension ModuleBuilder {
    /// Reduces `items` with a balanced binary tree of `combine`, a pipeline
    /// register after every `levelsPerStage` levels (0: none, combinational).
    /// Registers are named `name_lL_P` (level L, position P) plus the item's
    /// field names. The result appears `treeStages(leaves:levelsPerStage:)`
    /// cycles after the items.
    ///
    /// ```
    ///  x0  x1  x2  x3  x4      level 1: combine pairs (an odd one passes)
    ///   \  /    \  /   |
    ///    c01    c23    x4      level 2 ...
    /// ```
    public func reduceTree<Item: Pipelined>(_ items: [Item], levelsPerStage: Int, name: String,
                                            fileID: String = #fileID, line: Int = #line,
                                            combine: (Item, Item) -> Item) -> Item {
        precondition(!items.isEmpty, "a reduction tree needs at least one item")
        var level = items
        var depth = 0
        while level.count > 1 {
            level = stride(from: 0, to: level.count, by: 2).map { i in
                i + 1 < level.count ? combine(level[i], level[i + 1]) : level[i]
            }
            depth += 1
            if levelsPerStage > 0 && depth % levelsPerStage == 0 {
                level = level.enumerated().map { position, item in
                    delayed(item, cycles: 1, name: "\(name)_l\(depth)_\(position)", fileID: fileID, line: line)
                }
            }
        }
        return level[0]
    }
}

/// Register stages of a binary reduction tree over `leaves` items with a
/// register after every `levelsPerStage` levels (0: none): the cycles from
/// its items to its result.
public func treeStages(leaves: Int, levelsPerStage: Int) -> Int {
    let levels = ceilLog2(max(1, leaves))
    return levelsPerStage > 0 ? levels / levelsPerStage : 0
}
