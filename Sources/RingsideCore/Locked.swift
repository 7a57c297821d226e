import Synchronization

/// A value behind a `Synchronization.Mutex` that can be shared by reference (captured by escaping closures, owned by
/// several objects). Where a stored property is enough, use `Mutex` directly. Keep bodies short; never await inside.
public final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: sending Value) { mutex = Mutex(value) }

    /// Runs `body` with exclusive access to the value.
    public func withLock<T, E: Error>(_ body: (inout sending Value) throws(E) -> sending T) throws(E) -> T {
        try mutex.withLock(body)
    }

    /// The same as `withLock` (the name the Salesforce client and the phone index use).
    public func withValue<T, E: Error>(_ body: (inout sending Value) throws(E) -> sending T) throws(E) -> T {
        try mutex.withLock(body)
    }
}

extension Locked where Value: Sendable {
    /// A copy of the current value.
    public var value: Value { mutex.withLock { $0 } }
}
