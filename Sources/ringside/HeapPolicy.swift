/// glibc's heap policy for the long-running console processes (`agent`, `demo`): blocks of 128 KiB and more always come from their own mapping and go back
/// to the system when freed. By default glibc raises that threshold (up to 32 MiB) each time such a block is freed
/// and then keeps the freed memory in its arenas: after a 1M-number index rebuild (a sync, an import) 50 MiB of
/// freed arrays stayed resident for the life of the console (`ringside bench`: RSS when rebuilding).
enum HeapPolicy {
    /// `M_MMAP_THRESHOLD` in <malloc.h>.
    private static let mmapThreshold: Int32 = -3

    static func apply() {
        // Advice only: if glibc refuses, memory stays as it was (more resident after a rebuild), nothing breaks.
        _ = mallopt(mmapThreshold, 128 * 1024)
    }
}

/// glibc's `mallopt` (the Glibc module does not export <malloc.h>).
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
