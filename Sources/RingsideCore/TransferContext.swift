import Foundation

/// What the transferring agent knew about a call, sent on the presence bus so the receiving agent sees who
/// transferred it, about whom and why, and can accept that record as the pop (association rule 3) without a new search.
///
/// The payload comes from another machine: it is size-capped on decode and every text is sanitised before display.
public struct TransferContext: Hashable, Sendable, Codable {
    /// The phone's id of the transferred leg (SIP Call-ID with baresip). After a blind transfer the receiving
    /// agent's leg has a new Call-ID, so matching falls back to the number within a time window.
    public var callId: String
    /// The caller's number in E.164 (or the raw remote when it had none).
    public var number: String
    /// The record the call is logged against on the transferring side (nil: none).
    public var entity: EntityRef?
    public var disposition: String?
    /// Notes typed so far (capped at `maxNotes` characters).
    public var notes: String
    public var fromAgentId: String
    public var fromAgentName: String
    /// The transfer target as typed (extension, number or SIP URI).
    public var target: String
    /// The sender's clock (shown only; the receiver's own clock decides freshness).
    public var sentAt: Date
    /// When the transferred leg was itself the new leg of an earlier transfer: the queue call's first Call-ID
    /// (nil otherwise; missing in payloads from older versions).
    public var originalCallId: String?

    /// The Call-ID of the queue call this context's call belongs to (the receiving leg's `originalCallId`).
    public var queueCallId: String { originalCallId ?? callId }

    public static let maxPayloadBytes = 64 * 1024
    public static let maxNotes = 4000
    public static let maxField = 255

    public init(callId: String, number: String, entity: EntityRef?, disposition: String?, notes: String,
                fromAgentId: String, fromAgentName: String, target: String, sentAt: Date) {
        self.callId = callId
        self.number = number
        self.entity = entity
        self.disposition = disposition
        self.notes = notes
        self.fromAgentId = fromAgentId
        self.fromAgentName = fromAgentName
        self.target = target
        self.sentAt = sentAt
    }

    /// Why a received payload was refused.
    public enum DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
        case tooLarge(Int)
        case invalid(String)

        public var description: String {
            switch self {
            case .tooLarge(let bytes): "transfer context of \(bytes) bytes refused (limit \(TransferContext.maxPayloadBytes))"
            case .invalid(let why): "transfer context unreadable: \(why)"
            }
        }
    }

    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// Decodes a payload from the bus: refuses oversized or malformed ones, caps every field.
    public static func decode(_ data: Data) throws(DecodingError) -> TransferContext {
        guard data.count <= maxPayloadBytes else { throw .tooLarge(data.count) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        var context: TransferContext
        do {
            context = try decoder.decode(TransferContext.self, from: data)
        } catch {
            throw .invalid(String(describing: error).prefix(200).description)
        }
        guard !context.fromAgentId.isEmpty, !(context.callId.isEmpty && context.number.isEmpty) else {
            throw .invalid("no agent, or neither a call id nor a number")
        }
        context.capFields()
        return context
    }

    mutating func capFields() {
        func cap(_ text: String, _ limit: Int) -> String { text.count > limit ? String(text.prefix(limit)) + "…" : text }
        callId = cap(callId, Self.maxField)
        originalCallId = originalCallId.map { cap($0, Self.maxField) }
        number = cap(number, 64)
        notes = cap(notes, Self.maxNotes)
        disposition = disposition.map { cap($0, Self.maxField) }
        fromAgentId = cap(fromAgentId, 128)
        fromAgentName = cap(fromAgentName, Self.maxField)
        target = cap(target, Self.maxField)
        if var e = entity {
            e.id = cap(e.id, 64)
            e.name = cap(e.name, Self.maxField)
            e.accountId = e.accountId.map { cap($0, 64) }
            entity = e
        }
    }

    /// "Transferred by Sam Agent · about Fred Bloggs (Contact)": who and about whom, without the notes.
    public var headline: String {
        let who = "Transferred by \(fromAgentName.isEmpty ? fromAgentId : fromAgentName)"
        guard let entity else { return who }
        return who + " · about \(entity.name.isEmpty ? entity.id : entity.name) (\(entity.type.rawValue))"
    }

    /// `Transferred by Sam Agent · about Fred Bloggs (Contact) · Resolved · notes first line`
    /// (raw: the display sanitises it).
    public var summary: String {
        var parts = [headline]
        if let disposition, !disposition.isEmpty { parts.append(disposition) }
        let firstLine = notes.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if !firstLine.isEmpty { parts.append(firstLine) }
        return parts.joined(separator: " · ")
    }
}

extension TransferContext {
    /// The context of `call` as the transferring agent knows it now (nil when the call has no line id yet).
    public static func of(_ call: CallMachine, target: String, user: AgentUser, at now: Date) -> TransferContext? {
        guard let line = call.line else { return nil }
        var context = TransferContext(callId: line, number: call.number?.e164 ?? call.remote,
                                      entity: call.isInternal ? nil : call.resolvedAssociation.primary,
                                      disposition: call.disposition, notes: call.notes, fromAgentId: user.id,
                                      fromAgentName: user.name, target: target, sentAt: now)
        context.originalCallId = call.originalCallId
        return context
    }
}
