import Foundation

extension CallMachine {
    /// The record the transferring agent logged this call against, while the agent here has not taken it yet:
    /// what the Pop key accepts (association rule 3).
    public var offeredHandoffEntity: EntityRef? {
        guard !isInternal, let entity = handoff?.entity else { return nil }
        return association.interactions.contains { $0.entity.id == entity.id && $0.entity.type == entity.type } ? nil : entity
    }

    /// When this call is the new leg of a blind transfer (its transfer context names another Call-ID): the queue
    /// call's first Call-ID, which the leg's queue events link to. Nil for any other call.
    public var originalCallId: String? {
        guard let handoff, !handoff.queueCallId.isEmpty, handoff.queueCallId != line else { return nil }
        return handoff.queueCallId
    }

    /// True once the agent accepted the transferring agent's record for this call.
    public var handoffAccepted: Bool {
        guard let entity = handoff?.entity else { return false }
        return association.interactions.contains { $0.entity.id == entity.id && $0.entity.type == entity.type }
    }
}

extension AgentSession {
    /// A transfer context arrived from another agent: attached to the live inbound call it describes, if one
    /// rang within the window, else kept until that call rings.
    mutating func receiveHandoff(_ context: TransferContext, at now: Date) -> [SessionEffect] {
        var inbox = handoffs
        inbox.prune(at: now)
        let candidates = calls.filter { $0.isLive && $0.direction == .inbound && $0.handoff == nil }
        if let call = candidates.last(where: { call in
            HandoffInbox.matches(context, receivedAt: now, callId: call.line, number: call.number?.e164 ?? call.remote,
                                 ringAt: call.startedAt, window: inbox.window)
        }) {
            handoffs = inbox
            return apply(.handoff(context), to: call.id, at: now, quietRejection: true)
        }
        inbox.receive(context, at: now)
        handoffs = inbox
        return []
    }

    /// A call rang: attach a waiting transfer context that describes it.
    mutating func attachHandoff(to id: CallObjectID, at now: Date) -> [SessionEffect] {
        guard let call = call(id), call.direction == .inbound,
              let context = handoffs.take(callId: call.line, number: call.number?.e164 ?? call.remote, at: now) else { return [] }
        return apply(.handoff(context), to: id, at: now, quietRejection: true)
    }
}
