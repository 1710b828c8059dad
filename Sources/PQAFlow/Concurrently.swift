import Dispatch
import Foundation

/// Runs `body` on every item, `jobs` at a time (external tools do the heavy
/// work, so threads mostly wait on them). Every item runs; afterwards the
/// first failure, if any, is thrown, naming its item.
func runConcurrently<Item: Sendable>(_ items: [Item], jobs: Int, name: @escaping @Sendable (Item) -> String,
                                     _ body: @escaping @Sendable (Item) throws -> Void) throws {
    let failures = FailureList()
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
            do { try body(item) } catch { failures.append("\(name(item)): \(error)") }
        }
    }
    group.wait()
    if let first = failures.first { throw ConcurrentFailure(message: first, count: failures.count) }
}

/// The first of the failures of a concurrent run, and how many there were.
public struct ConcurrentFailure: Error, CustomStringConvertible {
    public let message: String
    public let count: Int
    public var description: String { count > 1 ? "\(message) (and \(count - 1) more failures)" : message }
}

/// Failures collected by concurrent workers.
private final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func append(_ message: String) { lock.withLock { messages.append(message) } }
    var first: String? { lock.withLock { messages.first } }
    var count: Int { lock.withLock { messages.count } }
}
