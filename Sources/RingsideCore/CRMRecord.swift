import Foundation

/// One phone field of a CRM record: its API name, the number as stored, and its normalised key.
public struct PhoneField: Hashable, Sendable, Codable {
    public var field: String
    public var raw: String
    public var e164: String?

    public init(field: String, raw: String, e164: String?) {
        self.field = field
        self.raw = raw
        self.e164 = e164
    }
}

/// A record the CRM returned: a person, company or piece of work a call can be associated with.
public struct CRMRecord: Hashable, Sendable, Codable, Identifiable {
    public var type: EntityType
    public var id: String
    public var name: String
    public var accountId: String?
    public var accountName: String?
    public var phones: [PhoneField]
    public var owner: String?
    public var lastModified: Date
    public var isPersonAccount: Bool
    /// Link to open the record (Salesforce record URL), when the CRM has one.
    public var url: String?

    public init(type: EntityType, id: String, name: String, accountId: String? = nil, accountName: String? = nil,
                phones: [PhoneField] = [], owner: String? = nil, lastModified: Date, isPersonAccount: Bool = false, url: String? = nil) {
        self.type = type
        self.id = id
        self.name = name
        self.accountId = accountId
        self.accountName = accountName
        self.phones = phones
        self.owner = owner
        self.lastModified = lastModified
        self.isPersonAccount = isPersonAccount
        self.url = url
    }

    public var ref: EntityRef { EntityRef(type: type, id: id, name: name, accountId: accountId) }
}

/// A lightweight reference to a CRM record, kept in call history and records.
public struct EntityRef: Hashable, Sendable, Codable {
    public var type: EntityType
    public var id: String
    public var name: String
    /// For a Contact: its Account, the default "Related to" (WhatId).
    public var accountId: String?

    public init(type: EntityType, id: String, name: String, accountId: String? = nil) {
        self.type = type
        self.id = id
        self.name = name
        self.accountId = accountId
    }
}
