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
/// With a spill file, the values live in that (unlinked) file's pages instead: the pages written are given back
/// every few MiB (they stay in the page cache), so a rebuild's byte pool is not resident while the index is built
/// and written (`releaseResident()` after reading them).
/// A reference type: share it only by handing it to a `SharedBuffer` once it is complete.
final class GrowingBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int
    private var mappedBytes: Int
    /// The spill file (-1: anonymous memory), its length, and how much of it was last given back.
    private var spill: Int32 = -1
    private var fileBytes = 0
    private var releasedBytes = 0
    /// Pages written to a spill file are given back every this many bytes.
    static var spillReleaseBytes: Int { 8 << 20 }

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

    /// Values kept in a new unlinked file in `directory` (anonymous memory when it can't be made).
    convenience init(spillingTo directory: String) {
        self.init()
        let path = directory + "/.ringside-build-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        unlink(path)
        let bytes = Self.reservationBytes
        // Blocks allocated up front (posix_fallocate), so a full disk is an error here, never a SIGBUS on a write.
        guard posix_fallocate(fd, 0, off_t(Self.fallbackBytes)) == 0,
              let region = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0), region != MAP_FAILED else {
            close(fd)
            return
        }
        munmap(base, mappedBytes)
        base = region.bindMemory(to: Element.self, capacity: bytes / MemoryLayout<Element>.stride)
        mappedBytes = bytes
        capacity = Self.fallbackBytes / MemoryLayout<Element>.stride
        spill = fd
        fileBytes = Self.fallbackBytes
    }

    deinit {
        munmap(base, mappedBytes)
        if spill >= 0 { close(spill) }
    }

    /// Whether the values live in a spill file.
    var spills: Bool { spill >= 0 }

    /// Gives back this process's copies of a spill file's pages (no-op for anonymous memory, whose pages are the
    /// only copy): they stay in the page cache and are mapped again when read.
    func releaseResident() {
        guard spill >= 0 else { return }
        _ = madvise(base, fileBytes, MADV_DONTNEED)
        releasedBytes = count * MemoryLayout<Element>.stride
    }

    private static func map(_ bytes: Int, noReserve: Bool) -> UnsafeMutablePointer<Element>? {
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | (noReserve ? MAP_NORESERVE : 0)
        guard let region = mmap(nil, bytes, PROT_READ | PROT_WRITE, flags, -1, 0), region != MAP_FAILED else { return nil }
        return region.bindMemory(to: Element.self, capacity: bytes / MemoryLayout<Element>.stride)
    }

    /// Room for `extra` more values (doubling with a copy only when the reservation is used up).
    private func reserve(_ extra: Int) {
        if spill >= 0 && (count + extra) * MemoryLayout<Element>.stride - releasedBytes > Self.spillReleaseBytes { releaseResident() }
        guard count + extra > capacity else { return }
        if spill >= 0 {
            var bytes = fileBytes
            while bytes / MemoryLayout<Element>.stride < count + extra { bytes *= 2 }
            if bytes <= mappedBytes && posix_fallocate(spill, 0, off_t(bytes)) == 0 {
                fileBytes = bytes
                capacity = bytes / MemoryLayout<Element>.stride
                return
            }
            // The file can't grow (disk full): on to anonymous memory.
            close(spill)
            spill = -1
            moveToAnonymousMemory(bytes)
            return
        }
        var bytes = mappedBytes
        while bytes / MemoryLayout<Element>.stride < count + extra { bytes *= 2 }
        moveToAnonymousMemory(bytes)
    }

    /// Copies the values into a fresh anonymous mapping of `bytes` and lets the old mapping go.
    private func moveToAnonymousMemory(_ bytes: Int) {
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
