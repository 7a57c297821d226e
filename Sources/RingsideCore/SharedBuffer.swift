/// An immutable run of fixed-width values held by an owner object: its own copy of an array, or a region of a
/// memory-mapped file kept mapped by the owner (issue 16: the phone index and number list are served straight
/// from their snapshot file, so a restart copies nothing into the heap).
public struct SharedBuffer<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    /// The values (valid while `owner` lives; this struct keeps it alive).
    public let buffer: UnsafeBufferPointer<Element>
    /// What keeps `buffer` valid (never mutated through it).
    public let owner: AnyObject?

    /// A copy of `array` in a buffer of its own.
    public init(_ array: [Element]) {
        let storage = Storage<Element>(array)
        buffer = UnsafeBufferPointer(rebasing: storage.buffer[0..<array.count])
        owner = storage
    }

    /// An empty buffer.
    public init() { self.init([]) }

    /// Values `owner` keeps valid and unchanged for as long as it lives (a mapped file region).
    public init(borrowing buffer: UnsafeBufferPointer<Element>, owner: AnyObject) {
        self.buffer = buffer
        self.owner = owner
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { buffer.count }
    public var count: Int { buffer.count }

    @inline(__always)
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < buffer.count, "SharedBuffer index out of range")
        return buffer[position]
    }

    /// Bytes held.
    public var byteCount: Int { buffer.count * MemoryLayout<Element>.stride }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(buffer) }
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(UnsafeRawBufferPointer(buffer)) }
    }

    /// A heap copy of values.
    final class Storage<Value: BitwiseCopyable> {
        let buffer: UnsafeMutableBufferPointer<Value>

        init(_ array: [Value]) {
            buffer = .allocate(capacity: Swift.max(1, array.count))
            // (One element at least, so an empty array still has an address.)
            _ = buffer.initialize(from: array)
        }

        deinit { buffer.deallocate() }
    }
}
