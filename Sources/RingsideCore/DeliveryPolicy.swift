import Foundation

/// What to do with an outbox item after an attempt.
public enum DeliveryDecision: Hashable, Sendable {
    case delivered(crmId: String)
    case retry(at: Date, attempts: Int, error: DeliveryFailure, uncertain: Bool)
    /// Send again at once without WhoId/WhatId (the entity was deleted or is invalid), noting why.
    case retryWithoutAssociation(note: String)
    case park(DeliveryFailure)
}

/// The outbox's pure rules: exponential backoff with jitter, bounded; permanent errors park;
/// association errors drop the association once instead of losing the record.
public struct DeliveryPolicy: Hashable, Sendable {
    public var baseSeconds: Double
    public var maxSeconds: Double
    /// Fraction of the delay randomised either way (0.2 = ±20 %).
    public var jitter: Double

    public init(baseSeconds: Double = 5, maxSeconds: Double = 3600, jitter: Double = 0.2) {
        self.baseSeconds = baseSeconds
        self.maxSeconds = maxSeconds
        self.jitter = jitter
    }

    /// Delay before attempt number `attempts + 1`; `unit` in 0..<1 picks the jitter.
    public func delay(afterAttempts attempts: Int, suggested: Double? = nil, unit: Double) -> Double {
        let exponential = baseSeconds * pow(2, Double(max(0, min(attempts - 1, 20))))
        let base = min(maxSeconds, max(exponential, suggested ?? 0))
        return min(maxSeconds, max(1, base * (1 + jitter * (2 * unit - 1))))
    }

    public func decide(_ outcome: Result<String, DeliveryFailure>, record: CallRecord, attempts: Int, now: Date, unit: Double) -> DeliveryDecision {
        switch outcome {
        case .success(let id):
            return .delivered(crmId: id)
        case .failure(let failure):
            let next = attempts + 1
            switch failure {
            case .retryable(_, _, let suggested):
                return .retry(at: now.addingTimeInterval(delay(afterAttempts: next, suggested: suggested, unit: unit)),
                              attempts: next, error: failure, uncertain: false)
            case .uncertain:
                // Check quickly whether it landed; the next attempt asks before sending.
                return .retry(at: now.addingTimeInterval(min(delay(afterAttempts: next, unit: unit), 30)), attempts: next,
                              error: failure, uncertain: true)
            case .authentication:
                return .retry(at: now.addingTimeInterval(max(60, delay(afterAttempts: next, unit: unit))), attempts: next,
                              error: failure, uncertain: false)
            case .permanent(let code, let message, let association):
                if association, record.who != nil || record.what != nil {
                    let names = [record.who, record.what].compactMap { $0 }.map { "\($0.type.rawValue) \($0.id)" }.joined(separator: ", ")
                    return .retryWithoutAssociation(note: "Saved without its association (\(names)): \(code ?? "error"): \(message)")
                }
                return .park(failure)
            }
        }
    }
}
