/// An up-counter with enable that wraps at `2^width`.
public struct Counter: HardwareModule {
    /// Bits of the count.
    public var width: Int

    /// A counter of `width` bits.
    public init(width: Int = 8) { self.width = width }

    public var moduleName: String { "counter" }
    public var parameters: [ModuleParameter] { [.init("width", width)] }

    public func build(_ m: ModuleBuilder) {
        let enable = m.input("enable", .bool)
        let count = m.output("count", .unsigned(width))
        let value = m.register("value", .unsigned(width), reset: 0)
        m.when(enable) { value <== value + 1 }
        count <== value
    }
}
