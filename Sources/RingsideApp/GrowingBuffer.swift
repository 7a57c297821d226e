import Foundation
import RingsideCore
#if canImport(Glibc)
import Glibc
#endif

/// An append-only run of fixed-width values that grows without copying (issue 16: rebuilding the index of a
/// million numbers held each big array twice while Swift arrays doubled, then copied them to their exact size).
///
/// The values live in one large reservation of address space whose pages are committed only as they are
/// written; a finished buffer is handed to a `SharedBuffer` as it is, and its pages go back to the system when
/// the last user goes. Where the reservation is refused (strict overcommit), it grows by doubling with a copy.
/// A reference type: share it only by handing it to a `SharedBuffer` once it is complete.
final class GrowingBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int
    private var mappedBytes: Int

    /// Address space reserved up front (virtual: pages never written cost nothing).
    static var reservationBytes: Int { 1 << 36 }
    /// The first mapping when no reservation can be made.
    static var fallbackBytes: Int { 1 << 20 }

    init() {
        if let region = Self.map(Self.reservationBytes, noReserve: true) {
            mappedBytes = Self.reservationBytes
            base = region
        } else {
            mappedBytes = Self.fallbackBytes
            guard let region = Self.map(mappedBytes, noReserve: false) else {
                preconditionFailure("out of memory: could not map \(mappedBytes) bytes (\(String(cString: strerror(errno))))")
            }
            base = region
        }
        capacity = mappedBytes / MemoryLayout<Element>.stride
    }

    deinit { munmap(base, mappedBytes) }

    private static func map(_ bytes: Int, noReserve: Bool) -> UnsafeMutablePointer<Element>? {
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | (noReserve ? MAP_NORESERVE : 0)
        guard let region = mmap(nil, bytes, PROT_READ | PROT_WRITE, flags, -1, 0), region != MAP_FAILED else { return nil }
        return region.bindMemory(to: Element.self, capacity: bytes / MemoryLayout<Element>.stride)
    }

    /// Room for `extra` more values (doubling with a copy only when the reservation is used up).
    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var bytes = mappedBytes
        while bytes / MemoryLayout<Element>.stride < count + extra { bytes *= 2 }
        guard let region = Self.map(bytes, noReserve: false) else {
            preconditionFailure("out of memory: could not map \(bytes) bytes (\(String(cString: strerror(errno))))")
        }
        region.initialize(from: base, count: count)
        munmap(base, mappedBytes)
        base = region
        mappedBytes = bytes
        capacity = bytes / MemoryLayout<Element>.stride
    }

    var isEmpty: Bool { count == 0 }

    func append(_ value: Element) {
        reserve(1)
        (base + count).initialize(to: value)
        count += 1
    }

    func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard values.count > 0 else { return }
        reserve(values.count)
        (base + count).initialize(from: values.baseAddress!, count: values.count)
        count += values.count
    }

    /// Drops the values from `newCount` on.
    func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count, "truncate beyond the end")
        count = newCount
    }

    subscript(position: Int) -> Element {
        get {
            precondition(position >= 0 && position < count, "GrowingBuffer index out of range")
            return base[position]
        }
        set {
            precondition(position >= 0 && position < count, "GrowingBuffer index out of range")
            base[position] = newValue
        }
    }

    var last: Element? { count == 0 ? nil : base[count - 1] }

    /// The values, for reading in place.
    var mutableBuffer: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// Sorts the values in place.
    func sort(by areInIncreasingOrder: (Element, Element) -> Bool) {
        var values = mutableBuffer
        values.sort(by: areInIncreasingOrder)
    }

    /// The values as a `SharedBuffer` kept alive by this buffer (no copy); append no more after this.
    var shared: SharedBuffer<Element> {
        SharedBuffer(borrowing: UnsafeBufferPointer(start: base, count: count), owner: self)
    }
}

extension GrowingBuffer where Element == UInt8 {
    func append(contentsOf text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
}
