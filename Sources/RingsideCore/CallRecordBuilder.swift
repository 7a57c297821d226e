import Foundation

/// Builds the Task-shaped call record from a finished call (pure: the time zone and user are passed in).
public struct CallRecordBuilder: Sendable {
    public var user: AgentUser
    public var homeRegion: PhoneRegion
    /// Delivery state for completed records (`.queued`, or `.local` when delivery is off).
    public var completedState: DeliveryState
    /// Templates from `[record] subject` / `description` (nil: the standard subject and description).
    public var subjectTemplate: TaskTemplate?
    public var descriptionTemplate: TaskTemplate?

    public static let dispositionLimit = 255
    public static let subjectLimit = 255

    public init(user: AgentUser, homeRegion: PhoneRegion, completedState: DeliveryState = .queued,
                subjectTemplate: TaskTemplate? = nil, descriptionTemplate: TaskTemplate? = nil) {
        self.user = user
        self.homeRegion = homeRegion
        self.completedState = completedState
        self.subjectTemplate = subjectTemplate
        self.descriptionTemplate = descriptionTemplate
    }

    public func build(_ call: CallMachine, at now: Date) -> CallRecord {
        let association = call.resolvedAssociation
        let callType: CallType = call.isInternal ? .internal : (call.direction == .inbound ? .inbound : .outbound)
        let displayNumber = call.number.map { $0.compact(relativeTo: homeRegion) } ?? Self.sanitized(call.remote)
        let name = (association.primary.map(\.name).flatMap(Self.displayName) ?? singleMatchName(call, primary: association.primary))
        let zone = TimeZone(identifier: user.timeZone) ?? TimeZone(identifier: "UTC")!
        let disposition = call.disposition.map { Self.truncate($0, to: Self.dispositionLimit) }
        let endedAt = call.endedAt ?? now
        let values: [TaskTemplate.Placeholder: String] = [
            .direction: call.direction.rawValue, .time: Self.clock(call.startedAt, zone: zone), .tz: zone.identifier,
            .number: displayNumber, .name: name.flatMap(Self.displayName) ?? "", .disposition: disposition ?? "",
            .notes: call.notes, .callId: call.id, .duration: String(call.durationSeconds(at: endedAt)),
        ]
        let standard = Self.subject(direction: call.direction, at: call.startedAt, zone: zone, number: displayNumber, name: name)
        let subject = subjectTemplate.map { Self.sanitizedLine($0.render(values)) } ?? standard
        var description = subject
        if let disposition { description += "\nDisposition: \(disposition)" }
        if let target = call.transferTarget {
            description += "\n" + Self.transferLine(target: target, outcome: call.transferOutcome)
        }
        if call.endTimeApproximate {
            description += "\nThe call ended while Ringside was not running: the end time and duration are approximate."
        }
        if !call.notes.isEmpty { description += "\n\n\(call.notes)" }
        if let descriptionTemplate { description = descriptionTemplate.render(values) }
        return CallRecord(
            callObject: call.id, callType: callType, direction: call.direction, remote: Self.sanitized(call.remote),
            e164: call.number?.e164, remoteName: name, startedAt: call.startedAt, answeredAt: call.answeredAt,
            endedAt: endedAt, durationSeconds: call.durationSeconds(at: endedAt), holdSeconds: call.totalHoldSeconds(at: endedAt),
            endReason: call.endReason.map(Self.describe) ?? "ended", subject: Self.truncate(subject, to: Self.subjectLimit),
            description: description, activityDate: Self.day(call.startedAt, zone: zone), ownerId: user.id.isEmpty ? nil : user.id,
            disposition: disposition, notes: call.notes, who: association.who, what: association.what,
            associationRule: association.rule, associationNote: association.note, timeZone: zone.identifier,
            delivery: call.state == .done ? completedState : .wrapUp, wrapUpSeconds: call.wrapUpSeconds)
    }

    /// A rendered subject on one line: line breaks and control characters become spaces.
    static func sanitizedLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
            .trimmingCharacters(in: .whitespaces)
    }

    /// `Inbound Call at 16:11:36 Europe/London from 07814256404 (Fred Bloggs)`.
    public static func subject(direction: CallDirection, at time: Date, zone: TimeZone, number: String, name: String?) -> String {
        let preposition = direction == .inbound ? "from" : "to"
        var subject = "\(direction.rawValue) Call at \(clock(time, zone: zone)) \(zone.identifier) \(preposition) \(number)"
        if let name = name.flatMap(displayName) { subject += " (\(name))" }
        return subject
    }

    /// `Transferred to 2002` / `Transfer to 2002 failed: busy` / `Transfer to 2002 requested`.
    public static func transferLine(target: String, outcome: String?) -> String {
        let clean = sanitized(target)
        switch outcome {
        case "completed"?: return "Transferred to \(clean)"
        case let other?: return "Transfer to \(clean) \(sanitized(other))"
        case nil: return "Transfer to \(clean) requested"
        }
    }

    /// `HH:mm:ss` in `zone`.
    public static func clock(_ time: Date, zone: TimeZone) -> String {
        let c = calendar(zone).dateComponents([.hour, .minute, .second], from: time)
        return String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// `yyyy-MM-dd` in `zone`.
    public static func day(_ time: Date, zone: TimeZone) -> String {
        let c = calendar(zone).dateComponents([.year, .month, .day], from: time)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    /// Truncates to at most `limit` Salesforce characters, cutting only on a character (grapheme) boundary.
    ///
    /// Salesforce counts field lengths in UTF-16 code units (an emoji or other surrogate pair counts as two,
    /// a combining accent as one more), so the limit is applied to `utf16.count`; a grapheme that would
    /// straddle the limit is dropped whole rather than split.
    public static func truncate(_ text: String, to limit: Int) -> String {
        if text.utf16.count <= limit { return text }
        var units = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf16.count
            if units + size > limit { break }
            units += size
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    /// A name fit for a subject: control characters removed, surrounding spaces trimmed; nil when nothing is left.
    public static func displayName(_ raw: String) -> String? {
        let clean = sanitized(raw).trimmingCharacters(in: .whitespaces)
        return clean.isEmpty ? nil : clean
    }

    /// Removes control characters (C0, DEL, C1) so CRM data can't smuggle escape sequences anywhere.
    public static func sanitized(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !isControl($0) }))
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    static func describe(_ reason: CallEndReason) -> String {
        switch reason {
        case .localHangUp: "hung up by agent"
        case .remoteHangUp: "hung up by caller"
        case .busy: "busy"
        case .declined: "declined"
        case .noAnswer: "no answer"
        case .transferred: "transferred"
        case .failed(let why): "failed: \(sanitized(why))"
        }
    }

    /// The single match's name when the associated entity is that record but came without a name
    /// (e.g. a click-to-dial reference holding only the id); never another record's name.
    private func singleMatchName(_ call: CallMachine, primary: EntityRef?) -> String? {
        guard case .pop(let record)? = call.association.decision, !call.isInternal, primary?.id == record.id else { return nil }
        return Self.displayName(record.name)
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
