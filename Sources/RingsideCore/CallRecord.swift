import Foundation

/// Salesforce Task `CallType`.
public enum CallType: String, Hashable, Sendable, Codable, CaseIterable {
    case inbound = "Inbound"
    case outbound = "Outbound"
    case `internal` = "Internal"
}

/// Where a saved call record is on its way to the CRM.
public enum DeliveryState: String, Hashable, Sendable, Codable, CaseIterable {
    /// Saved; the agent is still in wrap-up.
    case wrapUp = "wrap-up"
    /// Complete and waiting in the outbox.
    case queued
    /// Created in the CRM (with its Task id).
    case delivered
    /// Rejected permanently; kept with the error for the agent or admin.
    case parked
    /// Delivery is off: kept locally (exportable).
    case local
}

/// One call's record: everything written to the Salesforce Task, plus local bookkeeping.
public struct CallRecord: Hashable, Sendable, Codable, Identifiable {
    public var id: CallObjectID { callObject }
    public var callObject: CallObjectID
    public var callType: CallType
    public var direction: CallDirection
    public var remote: String
    public var e164: String?
    public var remoteName: String?
    public var startedAt: Date
    public var answeredAt: Date?
    public var endedAt: Date
    public var durationSeconds: Int
    public var holdSeconds: Int
    public var endReason: String
    public var subject: String
    public var description: String
    public var activityDate: String
    public var status: String
    public var priority: String
    public var ownerId: String?
    public var disposition: String?
    public var notes: String
    public var who: EntityRef?
    public var what: EntityRef?
    public var associationRule: AssociationRule
    public var associationNote: String?
    public var timeZone: String
    public var delivery: DeliveryState
    public var crmId: String?
    public var lastError: String?
    /// Seconds from the end of the call to the agent finishing wrap-up; nil for a call completed without wrap-up
    /// and for records saved before it was recorded. Local only (the Task mapping has no wrap-up field).
    public var wrapUpSeconds: Int?

    public init(callObject: CallObjectID, callType: CallType, direction: CallDirection, remote: String, e164: String?,
                remoteName: String?, startedAt: Date, answeredAt: Date?, endedAt: Date, durationSeconds: Int, holdSeconds: Int,
                endReason: String, subject: String, description: String, activityDate: String, status: String = "Completed",
                priority: String = "Normal", ownerId: String?, disposition: String?, notes: String, who: EntityRef?,
                what: EntityRef?, associationRule: AssociationRule, associationNote: String?, timeZone: String,
                delivery: DeliveryState, crmId: String? = nil, lastError: String? = nil, wrapUpSeconds: Int? = nil) {
        self.callObject = callObject
        self.callType = callType
        self.direction = direction
        self.remote = remote
        self.e164 = e164
        self.remoteName = remoteName
        self.startedAt = startedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.durationSeconds = durationSeconds
        self.holdSeconds = holdSeconds
        self.endReason = endReason
        self.subject = subject
        self.description = description
        self.activityDate = activityDate
        self.status = status
        self.priority = priority
        self.ownerId = ownerId
        self.disposition = disposition
        self.notes = notes
        self.who = who
        self.what = what
        self.associationRule = associationRule
        self.associationNote = associationNote
        self.timeZone = timeZone
        self.delivery = delivery
        self.crmId = crmId
        self.lastError = lastError
        self.wrapUpSeconds = wrapUpSeconds
    }

    /// The Task fields sent to Salesforce, in a stable order.
    public var taskFields: [(String, TaskValue)] {
        var fields: [(String, TaskValue)] = [
            ("Subject", .string(subject)),
            ("Description", .string(description)),
            ("ActivityDate", .string(activityDate)),
            ("Status", .string(status)),
            ("Priority", .string(priority)),
            ("TaskSubtype", .string("Call")),
            ("CallType", .string(callType.rawValue)),
            ("CallDurationInSeconds", .int(durationSeconds)),
            ("CallObject", .string(callObject)),
        ]
        if let ownerId { fields.append(("OwnerId", .string(ownerId))) }
        if let disposition { fields.append(("CallDisposition", .string(disposition))) }
        if let who { fields.append(("WhoId", .string(who.id))) }
        if let what { fields.append(("WhatId", .string(what.id))) }
        return fields
    }
}

/// A Task field value.
public enum TaskValue: Hashable, Sendable, Codable {
    case string(String)
    case int(Int)
}
