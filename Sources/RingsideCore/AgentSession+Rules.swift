import Foundation

/// The one place that decides whether the agent may do something now, and if not, why.
/// The session refuses with these messages; the console asks the same questions to dim keys and explain them.
extension AgentSession {
    /// Why `command`, read while `seen` was the call on screen, can't be carried out (nil: it can).
    /// A call command for a call that is gone, or that is no longer the one on screen, is refused.
    public func refusal(for command: AgentCommand, seen: CallObjectID?, checkingArguments: Bool = true) -> String? {
        if command.targetsCall, let seen {
            guard call(seen) != nil else { return "That call has ended; nothing was changed" }
            if seen != focus { return "The screen changed to another call before the key was read; nothing was changed. Press it again." }
        } else if command.targetsCall, focus != nil {
            return "A call appeared before the key was read; nothing was changed. Press it again."
        }
        return refusal(for: command, on: command.targetsCall ? seen : nil, checkingArguments: checkingArguments)
    }

    /// The call a headless command (CLI, simulation) reaches: the focused call, else the newest one;
    /// wrap-up falls back to the oldest call in wrap-up.
    func headlessTarget(_ command: AgentCommand) -> CallObjectID? {
        guard command.targetsCall else { return nil }
        switch command {
        case .finishWrapUp where focusedCall?.state != .wrapUp:
            return calls.first(where: { $0.state == .wrapUp })?.id ?? focus
        case .hold, .resume, .hangUp, .transfer:
            if let focused = focusedCall, focused.isLive { return focused.id }
            return calls.last(where: \.isLive)?.id ?? focus
        case .answer, .dial, .pop, .select, .navigate, .requestNew, .relate, .editWrapUp, .finishWrapUp, .setAvailability,
             .focusNext, .dismissBanner:
            return focus ?? calls.last?.id
        }
    }

    /// Why `command` can't be applied to `target` (nil: it can).
    func refusal(for command: AgentCommand, on target: CallObjectID?, checkingArguments: Bool = true) -> String? {
        switch command {
        case .answer:
            return ringingCallToAnswer(seen: target) == nil ? "Nothing to answer: no call is ringing" : nil
        case .hold:
            return callControlRefusal("hold", command, target, allowed: [.connected])
        case .resume:
            return callControlRefusal("resume", command, target, allowed: [.held])
        case .hangUp:
            guard liveTarget(target, for: command) != nil else {
                return target.flatMap(call).map { "Nothing to hang up: the call is \($0.state.label)" } ?? "No call to hang up"
            }
            return nil
        case .transfer(let to):
            if let reason = callControlRefusal("transfer", command, target, allowed: [.connected, .held]) { return reason }
            guard checkingArguments, let id = liveTarget(target, for: command), let call = call(id) else { return nil }
            return transferTargetProblem(to, for: call)
        case .dial(let raw, _):
            if let busy = calls.first(where: { $0.isLive && $0.state != .held }) {
                return "Can't dial while a call is \(busy.state.label); hold or hang up first"
            }
            guard checkingArguments else { return nil }
            do {
                _ = try PhoneNumber.parse(raw, defaultRegion: settings.homeRegion, internalNumberDigits: settings.internalNumberDigits)
                return nil
            } catch {
                return "Can't dial: \(error)"
            }
        case .pop:
            guard let call = target.flatMap(call) else { return "No call to pop a record for" }
            if call.offeredHandoffEntity != nil, call.state != .done { return nil }
            if case .finished(.pop, _) = call.match, call.state != .done { return nil }
            return "Pop needs exactly one match (\(call.matchSummary)); use Search or New"
        case .select, .navigate:
            return associationRefusal(target)
        case .relate(let entity):
            if let reason = associationRefusal(target) { return reason }
            guard entity != nil, let call = target.flatMap(call) else { return nil }
            guard let primary = call.resolvedAssociation.primary else {
                return "Pop, pick or create the caller's record first; its account's open work is offered"
            }
            if primary.type == .lead {
                return "A call logged against a Lead can't have a Related-to (Salesforce rejects a WhatId with a Lead)"
            }
            return nil
        case .requestNew:
            guard let call = target.flatMap(call) else { return "No call to create a record for" }
            if call.isInternal || call.number?.isInternal == true { return "Internal calls are never associated with a record" }
            guard call.number != nil, case .finished(.new, _) = call.match, call.state != .done else {
                return "New is offered only when the number has no match (\(call.matchSummary))"
            }
            return call.createdEntity == nil ? nil : "A record was already created for this call"
        case .editWrapUp:
            guard let call = target.flatMap(call), call.state != .done, call.state != .idle else { return "No call to write notes for" }
            return nil
        case .finishWrapUp:
            guard let call = target.flatMap(call) else { return "No call is in wrap-up" }
            return call.state == .wrapUp ? nil : "No wrap-up in progress: the call is \(call.state.label)"
        case .focusNext:
            return calls.count > 1 ? nil : "There is no other call"
        case .setAvailability, .dismissBanner:
            return nil
        }
    }

    /// The command the hold/resume key means for the call on screen: resume when the call it reaches is on hold.
    public func holdOrResume(seen: CallObjectID?) -> AgentCommand {
        if let seen, let call = call(seen), call.isLive { return call.state == .held ? .resume : .hold }
        return liveTarget(seen, for: .resume) == nil ? .hold : .resume
    }

    /// Why `text` is not a transfer target for `call` (nil: it is). Targets are validated like the dial field:
    /// an E.164 or national number, an extension, or a `sip:` URI — and never the caller's own number.
    public func transferTargetProblem(_ text: String, for call: CallMachine) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return "Type a number to transfer to" }
        if Self.isSIPURI(trimmed) {
            return trimmed.count > 5 && !trimmed.contains(" ") ? nil : "Can't transfer to \(trimmed): not a valid SIP URI"
        }
        let number: PhoneNumber
        do {
            number = try PhoneNumber.parse(trimmed, defaultRegion: settings.homeRegion, internalNumberDigits: settings.internalNumberDigits)
        } catch {
            return "Can't transfer to \(CallRecordBuilder.sanitized(trimmed)): \(error)"
        }
        if let own = call.number, own.e164 == number.e164 {
            return "Can't transfer the caller to their own number"
        }
        return nil
    }

    private func callControlRefusal(_ verb: String, _ command: AgentCommand, _ target: CallObjectID?, allowed: [CallMachine.State]) -> String? {
        guard let id = liveTarget(target, for: command), let call = call(id) else {
            if let seen = target.flatMap(call) { return "Can't \(verb): the call is \(seen.state.label)" }
            return "No call to \(verb)"
        }
        if allowed.contains(call.state) { return nil }
        return "Can't \(verb): the call is \(call.state.label)"
    }

    private func associationRefusal(_ target: CallObjectID?) -> String? {
        guard let call = target.flatMap(call), call.state != .done, call.state != .idle else { return "No call in progress" }
        return call.isInternal ? "Internal calls are never associated with a record" : nil
    }
}
