import Foundation
import RingsideCore
import RingsideStore

/// One unit of work for the runtime's FIFO.
enum RuntimeWork: Sendable {
    case event(SessionEvent)
    case restore([AgentSession.JournalEntry])
    case shutdown(callsOutliveRingside: Bool)
}

/// What quitting did with the open calls.
public struct ShutdownReport: Sendable, Equatable {
    /// Records completed at quit.
    public var saved: Int
    /// Live calls left on the phone, completed at the next start.
    public var keptOnPhone: Int
    /// Records the store refused, written to this file instead (imported at the next start); nil when none.
    public var emergencyFile: String?
    /// Records neither the store nor the emergency file took (only when both failed).
    public var lost: Int

    /// One line for the terminal after the console closes; nil when there is nothing to say.
    public var summary: String? {
        var parts: [String] = []
        if saved > 0 { parts.append("\(saved) call record\(saved == 1 ? "" : "s") saved") }
        if keptOnPhone > 0 {
            parts.append("\(keptOnPhone) live call\(keptOnPhone == 1 ? "" : "s") left on the phone (logged when Ringside starts again)")
        }
        if let emergencyFile {
            parts.append("the database refused some records: they were written to \(emergencyFile) and are imported at the next start")
        }
        if lost > 0 { parts.append("\(lost) record(s) could not be written anywhere") }
        return parts.isEmpty ? nil : "ringside: " + parts.joined(separator: "; ")
    }
}

extension AgentRuntime {
    /// Writes every call that changed since the last write; calls that left the session without a record
    /// (a dial the phone refused) leave the journal. Completed calls leave it with their record (same transaction).
    func syncJournal(at now: Date) {
        let current = currentCalls
        let completed = Set(completedRecently)
        completedRecently.removeAll()
        guard journal.isStale(current: current) else { return }
        let (changed, removed) = journal.changes(current: current, completed: completed, refused: Set(unsaved.keys))
        do {
            try store.journal(changed, removing: removed, at: now)
            journal.committed(current: current)
            if journalFailure != nil {
                journalFailure = nil
                enqueue(.event(.notice(.info, "The call journal is written again")))
            }
        } catch {
            if journalFailure == nil {
                journalFailure = "\(error)"
                enqueue(.event(.notice(.error, "Call journal NOT written: \(error). Calls are kept in memory; quitting writes an emergency copy.")))
            }
        }
    }

    /// Imports emergency copies left by an earlier quit, then takes back the calls open in the journal.
    func restoreJournal() {
        importEmergencyCopies()
        do {
            let (entries, unreadable) = try store.openJournal()
            journal.adopt(entries.map(\.call))
            if !unreadable.isEmpty {
                enqueue(.event(.notice(.error, "\(unreadable.count) journalled call(s) could not be read (kept in the journal): \(unreadable.joined(separator: ", "))")))
            }
            if !entries.isEmpty { enqueue(.restore(entries)) }
        } catch {
            enqueue(.event(.notice(.error, "Could not read the call journal: \(error)")))
        }
        if !phoneCallsOutlive {
            // The simulated phone's calls ended with the last run: finish them now.
            enqueue(.event(.phone(.listed([]))))
        }
    }

    /// Orderly stop: completes what can't go on without Ringside, leaves live calls of a real phone in the
    /// journal, and writes anything the store refuses to an emergency copy. Then stops the adapters.
    public func shutdown() async -> ShutdownReport {
        let before = currentCalls
        enqueue(.shutdown(callsOutliveRingside: phoneCallsOutlive))
        let keptOnPhone = currentCalls.filter(\.isLive).count
        let saved = before.count - currentCalls.count
        var report = ShutdownReport(saved: saved, keptOnPhone: keptOnPhone, emergencyFile: nil, lost: 0)
        let refused = unsaved.values.map(\.record)
        let unjournaled = journalFailure == nil ? [] : currentCalls
        if !refused.isEmpty || !unjournaled.isEmpty {
            report.saved = max(0, report.saved - refused.count)
            do {
                report.emergencyFile = try EmergencyCopy(records: refused, calls: unjournaled).write(into: emergencyDirectory, at: Date())
            } catch {
                report.lost = refused.count + unjournaled.count
            }
        }
        await stop()
        return report
    }

    private func importEmergencyCopies() {
        guard let emergencyDirectory else { return }
        for file in EmergencyCopy.files(in: emergencyDirectory) {
            do {
                let copy = try EmergencyCopy.read(file)
                for record in copy.records {
                    if record.delivery == .wrapUp { try store.save(record) } else { try store.complete(record, at: Date()) }
                }
                try store.journal(copy.calls, at: Date())
                try FileManager.default.removeItem(atPath: file)
                enqueue(.event(.notice(.info, "Imported \(copy.records.count + copy.calls.count) call(s) saved in an emergency copy at the last quit")))
            } catch {
                enqueue(.event(.notice(.error, "Emergency copy \(file) not imported yet: \(error)")))
            }
        }
    }
}
