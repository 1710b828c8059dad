import HDL

/// The write side of a column buffer (both cores): which activation beats
/// it stores, which it drops, and the checks of the stream's `tlast`.
///
/// A beat is stored while the running layer still expects columns and the
/// slot being filled is free. Its `tlast` must be high exactly on the
/// column's last beat (`columnEnds`, from the owner's position counters): a
/// mismatch raises `lastMismatch`, the column is not kept (the owner starts
/// its position again) and, when the beat has no `tlast`, the following
/// beats are dropped up to and including the next `tlast`, so the stream
/// is back at a column boundary. A beat arriving when the running layer has
/// all its columns and no committed layer waits is dropped with `noLayer`,
/// and so is the rest of its column.
///
/// ```
///  position  0    1    2    0    1    2          (3 beats a column)
///  tlast     _    _    ‾    _    ‾    _    ‾     early tlast on beat 1:
///  kept      ✓    ✓    ✓    ✗    ✗    ✓ ... column dropped, the next starts at 0
/// ```
struct ColumnIntake {
    /// A beat is stored this cycle (at the owner's position).
    let store: Signal
    /// A stored beat here starts the owner's position again: it ends its
    /// column (`columnEnds`) or carries `tlast`. Either way when the two
    /// disagree (a mismatch: the column does not count), so no compare of
    /// the two is on the position counters' path.
    let restarts: Signal
    /// A stored beat here completes its column: the column's last, with its `tlast`.
    let completes: Signal
    /// The checks failing this cycle, for the error code.
    let errors: ActivationErrors

    /// The intake of `stream`; `layer` says whether the running layer
    /// expects more columns and whether a committed layer waits to run (nil:
    /// columns are always expected, as in a fixed-table design), `writable`
    /// that the slot being filled is free.
    init(_ m: ModuleBuilder, stream: Stream<Signal>, columnEnds: Signal, layer: (hasColumns: Signal, waiting: Signal)?, writable: Signal) {
        let discarding = m.register("discarding", reset: false)
        let last = stream.last ?? columnEnds
        let noLayer = layer.map { (!$0.hasColumns & !$0.waiting).named("no_layer") } ?? m.constant(false)
        let dropping = layer == nil ? discarding : (discarding | noLayer).named("dropping")
        stream.ready <== dropping | ((layer?.hasColumns ?? m.constant(true)) & writable)
        let dropped = (stream.fire & dropping).named("beat_dropped")
        store = (stream.fire & !dropping).named("beat_stored")
        let mismatch = (store & (last ^ columnEnds)).named("last_mismatch")
        restarts = (last | columnEnds).named("position_restarts")
        completes = (last & columnEnds).named("column_completes")
        m.when(dropped | mismatch) { discarding <== !last }
        errors = ActivationErrors(lastMismatch: mismatch, noLayer: layer == nil ? noLayer : (dropped & noLayer & !discarding).named("beat_without_layer"))
    }
}
