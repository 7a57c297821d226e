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
///
/// A record whose request may have been processed (`uncertain`) is only looked up in the CRM once that request
/// can no longer be running: `requestTimeoutSeconds` (the client gives up) plus `uncertainGraceSeconds` (the
/// server may go on after the client gave up) after it was sent. Looking earlier could find nothing while the
/// request is still being processed, and the re-send would make a duplicate.
public struct DeliveryPolicy: Hashable, Sendable {
    public var baseSeconds: Double
    public var maxSeconds: Double
    /// Fraction of the delay randomised either way (0.2 = ±20 %).
    public var jitter: Double
    /// The client's total timeout for one request (`salesforce.timeout_seconds`).
    public var requestTimeoutSeconds: Double
    /// How long the server may go on processing after the client gave up (`delivery.uncertain_wait_seconds`).
    public var uncertainGraceSeconds: Double

    public static let defaultRequestTimeoutSeconds: Double = 20
    public static let defaultUncertainGraceSeconds: Double = 120

    public init(baseSeconds: Double = 5, maxSeconds: Double = 3600, jitter: Double = 0.2,
                requestTimeoutSeconds: Double = DeliveryPolicy.defaultRequestTimeoutSeconds,
                uncertainGraceSeconds: Double = DeliveryPolicy.defaultUncertainGraceSeconds) {
        self.baseSeconds = baseSeconds
        self.maxSeconds = maxSeconds
        self.jitter = jitter
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.uncertainGraceSeconds = uncertainGraceSeconds
    }

    /// Seconds after sending during which a request may still be processed.
    public var uncertainWindowSeconds: Double { max(0, requestTimeoutSeconds) + max(0, uncertainGraceSeconds) }

    /// The earliest time the CRM may be asked whether a record sent at `sentAt` landed (nil: any time, since
    /// nothing is known to have been sent).
    public func earliestCheck(sentAt: Date?) -> Date? {
        sentAt.map { $0.addingTimeInterval(uncertainWindowSeconds) }
    }

    /// How long a sender's claim lasts: well beyond one request, so a live sender is never taken over.
    public var claimLeaseSeconds: Double { max(120, 2 * requestTimeoutSeconds + 30) }

    /// Delay before attempt number `attempts + 1`; `unit` in 0..<1 picks the jitter.
    public func delay(afterAttempts attempts: Int, suggested: Double? = nil, unit: Double) -> Double {
        let exponential = baseSeconds * pow(2, Double(max(0, min(attempts - 1, 20))))
        let base = min(maxSeconds, max(exponential, suggested ?? 0))
        return min(maxSeconds, max(1, base * (1 + jitter * (2 * unit - 1))))
    }

    /// `sentAt`: when the attempt's request went out, when an uncertain outcome must wait before the check
    /// (nil when a re-send is safe anyway, e.g. an upsert by an external id).
    public func decide(_ outcome: Result<String, DeliveryFailure>, record: CallRecord, attempts: Int, now: Date, unit: Double,
                       sentAt: Date? = nil) -> DeliveryDecision {
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
                // Check soon whether it landed — but not before its request can no longer be running.
                let soon = now.addingTimeInterval(min(delay(afterAttempts: next, unit: unit), 30))
                return .retry(at: max(soon, earliestCheck(sentAt: sentAt) ?? soon), attempts: next,
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
