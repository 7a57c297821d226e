import Foundation
import RingsideCore

/// Runs a `TeamSimulator` in real time, publishing what it produces through a `Presence`
/// (the in-memory bus for the demo, or one MQTT gateway connection for a real broker).
/// Sleeps until the next simulated event; idle means blocked.
public actor TeamSimulation {
    private var simulator: TeamSimulator
    private let presence: any Presence
    private let speed: Double
    private let wallStart: Date
    private let simStart: Date
    private var task: Task<Void, Never>?
    private var warmUpQueue: [QueueEvent]
    /// Publishing failures (the last one), for the status line.
    public private(set) var lastError: String?

    /// `speed` > 1 runs simulated time faster than the wall clock. `warmUp` seconds are simulated
    /// instantly before `start`, so the board opens mid-shift (their queue events are published too).
    public init(settings: TeamSimulator.Settings, presence: any Presence, speed: Double = 1, warmUp: TimeInterval = 0, start: Date = Date()) {
        var simulator = TeamSimulator(settings: settings, start: start.addingTimeInterval(-max(0, warmUp)))
        self.warmUpQueue = simulator.advance(to: start).compactMap { output in
            if case .queue(let event) = output { return event }
            return nil
        }
        self.simulator = simulator
        self.presence = presence
        self.speed = max(0.01, speed)
        self.wallStart = start
        self.simStart = start
    }

    /// Publishes every agent's initial state, then runs until `stop()`.
    public func start() async {
        for p in simulator.presences { await send(.presence(p)) }
        for event in warmUpQueue { await send(.queue(event)) }
        warmUpQueue = []
        task = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let delay = await self.step()
                try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            }
        }
    }

    public func stop() {
        task?.cancel()
        task = nil
    }

    /// Runs what is due; returns the wall-clock seconds until the next event (at most 1 s).
    private func step() async -> Double {
        let wallNow = Date()
        let simNow = simStart.addingTimeInterval(wallNow.timeIntervalSince(wallStart) * speed)
        for output in simulator.advance(to: simNow) { await send(output) }
        guard let next = simulator.nextEventTime else { return 1 }
        return min(1, max(0.001, next.timeIntervalSince(simNow) / speed))
    }

    private func send(_ output: TeamSimulator.Output) async {
        do {
            switch output {
            case .presence(var p):
                p.sentAt = Date()
                try await presence.publish(p)
            case .queue(let event):
                try await presence.publishQueue(event)
            }
        } catch {
            lastError = error.description
        }
    }
}
