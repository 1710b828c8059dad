import Dispatch
import Foundation

/// Runs `body` on every item, `jobs` at a time (external tools do the heavy
/// work, so threads mostly wait on them). Every item runs; afterwards the
/// first failure, if any, is thrown, naming its item.
func runConcurrently<Item: Sendable>(_ items: [Item], jobs: Int, name: @escaping @Sendable (Item) -> String,
                                     _ body: @escaping @Sendable (Item) throws -> Void) throws {
    let failures = Locked<[String]>([])
    let slots = DispatchSemaphore(value: max(1, jobs))
    let group = DispatchGroup()
    let queue = DispatchQueue(label: "pqa.concurrently", attributes: .concurrent)
    for item in items {
        slots.wait()
        group.enter()
        queue.async {
            defer {
                slots.signal()
                group.leave()
            }
            do { try body(item) } catch { failures.withLock { $0.append("\(name(item)): \(error)") } }
        }
    }
    group.wait()
    let messages = failures.withLock { $0 }
    if let first = messages.first { throw ConcurrentFailure(message: first, count: messages.count) }
}

/// The first of the failures of a concurrent run, and how many there were.
public struct ConcurrentFailure: Error, CustomStringConvertible {
    public let message: String
    public let count: Int
    public var description: String { count > 1 ? "\(message) (and \(count - 1) more failures)" : message }
}

/// A value shared by concurrent workers, read and changed under a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` on the value with the lock held.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try lock.withLock { try body(&value) }
    }
}
