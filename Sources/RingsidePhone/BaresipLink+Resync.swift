import Foundation
import RingsideCore

extension BaresipLink {
    /// Re-reads baresip's call list and reconciles the tracker (see `BaresipCallTracker.reconcile`).
    ///
    /// Runs under the command gate. Abandoned (with a log line) if the connection changes meanwhile;
    /// the next connection schedules its own pass.
    func scheduleResync(generation: Int, vanishedReason: CallEndReason, after delay: Duration?) {
        Task { [self] in
            if let delay { try? await Task.sleep(for: delay) }
            do {
                try await gate.run {
                    try await resynchronise(generation: generation, vanishedReason: vanishedReason)
                }
            } catch {
                log("baresip: call-list resync abandoned: \(error)")
            }
        }
    }

    private func resynchronise(generation: Int, vanishedReason: CallEndReason) async throws {
        guard state.withLock({ $0.generation == generation && $0.socket != nil }) else { return }
        state.withLock { $0.tracker.beginSnapshot() }
        let list = try await request("listcalls")
        guard list.ok else { throw BaresipLinkError.rejected(command: "listcalls", reason: list.data) }
        var snapshots: [BaresipCallSnapshot] = []
        for entry in BaresipCallListEntry.parse(list.data) {
            let selected = try await request("line", params: String(entry.line))
            guard selected.ok else { continue }  // the call ended in between
            let stat = try await request("callstat")
            guard stat.ok, let parsed = BaresipCallStat.parse(stat.data) else {
                log("baresip: could not read the id of line \(entry.line) from callstat; skipping it")
                continue
            }
            let direction = parsed.direction ?? (entry.state.uppercased() == "INCOMING" ? .incoming : .outgoing)
            snapshots.append(BaresipCallSnapshot(callID: parsed.callID, direction: direction, state: entry.state,
                                                 onHold: entry.onHold, peerURI: entry.peerURI))
        }
        state.withLock { state in
            guard state.generation == generation else { return }
            emit(state.tracker.reconcile(snapshots, vanishedReason: vanishedReason))
            // Tell the session which calls exist now: calls it restored from its journal that baresip no longer
            // has ended while Ringside was not running.
            emit([.listed(state.tracker.calls.keys.sorted())])
        }
    }
}
