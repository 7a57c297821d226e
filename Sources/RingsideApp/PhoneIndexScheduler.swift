import Foundation
import RingsideCore

/// Keeps the phone index fresh while the agent runs: an incremental sync at start and every N minutes,
/// and a full sync at a daily local time (`[sync] daily_at`, `every_minutes`). After each run the in-memory
/// index is patched (incremental) or rebuilt (full). Runs never overlap; a failed run is reported and
/// retried at the next slot (it resumes from its checkpoint).
public actor PhoneIndexScheduler {
    /// When runs happen.
    public struct Plan: Hashable, Sendable {
        /// `HH:MM` local time of the daily full sync; nil for none.
        public var dailyAt: (hour: Int, minute: Int)?
        /// Minutes between incremental syncs; 0 for none.
        public var everyMinutes: Int
        public var timeZone: TimeZone

        public init(dailyAt: String, everyMinutes: Int, timeZone: String) {
            let parts = dailyAt.split(separator: ":").compactMap { Int($0) }
            self.dailyAt = parts.count == 2 && (0..<24).contains(parts[0]) && (0..<60).contains(parts[1]) ? (parts[0], parts[1]) : nil
            self.everyMinutes = max(0, everyMinutes)
            self.timeZone = TimeZone(identifier: timeZone) ?? .current
        }

        public static func == (a: Plan, b: Plan) -> Bool {
            a.dailyAt?.hour == b.dailyAt?.hour && a.dailyAt?.minute == b.dailyAt?.minute && a.everyMinutes == b.everyMinutes
                && a.timeZone == b.timeZone
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(dailyAt?.hour)
            hasher.combine(dailyAt?.minute)
            hasher.combine(everyMinutes)
            hasher.combine(timeZone)
        }

        /// Whether anything is scheduled.
        public var isActive: Bool { dailyAt != nil || everyMinutes > 0 }

        /// The next run after `lastRun` (incremental) or at the daily time (full), whichever comes first after `now`.
        public func next(after now: Date, lastIncremental: Date?) -> (at: Date, full: Bool)? {
            var candidates: [(Date, Bool)] = []
            if everyMinutes > 0 {
                let due = lastIncremental.map { $0.addingTimeInterval(Double(everyMinutes) * 60) } ?? now
                candidates.append((max(due, now), false))
            }
            if let dailyAt {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = timeZone
                if let date = calendar.nextDate(after: now, matching: DateComponents(hour: dailyAt.hour, minute: dailyAt.minute, second: 0),
                                                matchingPolicy: .nextTime) {
                    candidates.append((date, true))
                }
            }
            // At equal times the full sync wins (it covers the incremental one).
            return candidates.min { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 && !$1.1) }.map { (at: $0.0, full: $0.1) }
        }

        /// `daily full at 23:00 Europe/London; incremental every 15 min`.
        public var description: String {
            var parts: [String] = []
            if let dailyAt { parts.append(String(format: "daily full sync at %02d:%02d %@", dailyAt.hour, dailyAt.minute, timeZone.identifier)) }
            if everyMinutes > 0 { parts.append("incremental every \(everyMinutes) min") }
            return parts.isEmpty ? "not scheduled ([sync] daily_at and every_minutes are off)" : parts.joined(separator: "; ")
        }
    }

    public let sync: PhoneIndexSync
    public let index: IndexedCRM?
    public let plan: Plan
    private let notice: (@Sendable (String) -> Void)?
    private var task: Task<Void, Never>?
    private var lastIncremental: Date?
    /// The latest run's report (or failure text).
    public private(set) var lastReport: PhoneIndexSyncReport?
    public private(set) var lastError: String?

    /// - Parameter notice: told about failures (and full syncs), e.g. for the status banner.
    public init(sync: PhoneIndexSync, index: IndexedCRM?, plan: Plan, notice: (@Sendable (String) -> Void)? = nil) {
        self.sync = sync
        self.index = index
        self.plan = plan
        self.notice = notice
    }

    /// Starts the schedule in the background (no-op when already started or nothing is scheduled).
    public func start() {
        guard task == nil, plan.isActive else { return }
        task = Task { [weak self] in await self?.loop() }
    }

    /// Stops the schedule; a run in progress is cancelled between pages (and resumes next time).
    public func stop() {
        task?.cancel()
        task = nil
    }

    private func loop() async {
        while !Task.isCancelled {
            guard let next = plan.next(after: Date(), lastIncremental: lastIncremental) else { return }
            let wait = next.at.timeIntervalSinceNow
            if wait > 0 {
                do { try await Task.sleep(for: .seconds(wait)) } catch { return }
            }
            await runOnce(full: next.full)
        }
    }

    /// Runs one sync now and updates the in-memory index.
    @discardableResult
    public func runOnce(full: Bool) async -> PhoneIndexSyncReport? {
        lastIncremental = Date()
        do {
            let (report, changes) = try await sync.run(full: full, collectChanges: index != nil)
            lastReport = report
            lastError = nil
            if let index {
                if changes.rebuild {
                    try index.reload()
                } else {
                    index.apply(upserted: changes.upserted, removed: changes.removed)
                    index.setSyncedAt(report.finishedAt)
                }
            }
            return report
        } catch {
            lastError = "\(error)"
            notice?("Phone index sync: \(error)")
            return nil
        }
    }
}
