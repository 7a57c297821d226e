import Foundation
import RingsideCore
import RingsideSalesforce

/// What is synced for one entity: its phone fields and the SOQL that pages through them.
struct PhoneIndexEntity: Hashable, Sendable {
    var type: EntityType
    /// Phone fields read (Account's person fields only when person accounts are on).
    var phoneFields: [String]
    /// Other fields read.
    var fields: [String]
    /// Records a full sync leaves out (`IsConverted = false` for leads).
    var fullFilter: String?

    var name: String { type.rawValue }

    /// The entities to sync, in precedence order: those the user can see (describe) with at least one phone
    /// field, reading only fields that exist (no `IsPersonAccount` in an org without Person Accounts).
    static func configured(_ searched: [EntityType], schema: OrgSchema, personAccounts: Bool) -> [PhoneIndexEntity] {
        var seen = Set<EntityType>()
        return searched.filter { seen.insert($0).inserted }.compactMap { type in
            let object = type.rawValue
            guard schema.isVisible(type) else { return nil }
            let phones = schema.phoneFields(of: object, personAccounts: personAccounts)
            guard !phones.isEmpty else { return nil }
            let person = personAccounts && schema.has(object, "IsPersonAccount") ? ["IsPersonAccount"] : []
            switch type {
            case .contact:
                return PhoneIndexEntity(type: .contact, phoneFields: phones,
                                        fields: schema.existing(object, ["Name", "AccountId", "Account.Name", "Owner.Name", "LastModifiedDate"]) + person)
            case .account:
                return PhoneIndexEntity(type: .account, phoneFields: phones,
                                        fields: schema.existing(object, ["Name", "Owner.Name", "LastModifiedDate"]) + person)
            case .lead:
                let converted = schema.has(object, "IsConverted")
                return PhoneIndexEntity(type: .lead, phoneFields: phones,
                                        fields: schema.existing(object, ["Name", "Company", "Owner.Name", "LastModifiedDate", "IsConverted"]),
                                        fullFilter: converted ? "IsConverted = false" : nil)
            case .caseRecord, .opportunity:
                return nil
            }
        }
    }

    /// A page of records after `cursor` in `SystemModstamp, Id` order.
    ///
    /// Keyset paging (`WHERE (SystemModstamp, Id) > cursor … LIMIT n`) instead of `nextRecordsUrl`: every page
    /// is a fresh query, so a run can stop anywhere and continue later (query locators expire), and records
    /// modified during the run move behind the cursor and are read again later in the same pass.
    /// - Parameters:
    ///   - since: incremental runs without a cursor yet start at this `SystemModstamp` (inclusive).
    ///   - full: full runs leave out records never worth indexing (converted leads).
    func pageSOQL(after cursor: PhoneIndexSyncState.Cursor?, since: String?, full: Bool, limit: Int) -> String {
        var conditions: [String] = []
        if let cursor {
            let stamp = Self.soqlDateTime(cursor.stamp)
            conditions.append("(SystemModstamp > \(stamp) OR (SystemModstamp = \(stamp) AND Id > \(SalesforceEscaping.soqlQuoted(cursor.id))))")
        } else if let since {
            conditions.append("SystemModstamp >= \(Self.soqlDateTime(since))")
        }
        if full, let fullFilter { conditions.append(fullFilter) }
        let select = selectList.joined(separator: ", ")
        return "SELECT \(select) FROM \(name)" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY SystemModstamp, Id LIMIT \(limit)"
    }

    /// `SELECT COUNT() …` over what a run starting at `cursor`/`since` will read (for the progress bar).
    func countSOQL(after cursor: PhoneIndexSyncState.Cursor?, since: String?, full: Bool) -> String {
        let page = pageSOQL(after: cursor, since: since, full: full, limit: 1)
        let from = page.range(of: " FROM ")!.lowerBound
        let order = page.range(of: " ORDER BY ")!.lowerBound
        return "SELECT COUNT()" + page[from..<order]
    }

    /// A SOQL datetime literal from Salesforce's text: `2026-01-01T10:00:00.000+0000` → `2026-01-01T10:00:00.000Z`
    /// (no `+`, which would need URL-encoding); other forms go through `Date`.
    static func soqlDateTime(_ stamp: String) -> String {
        if stamp.hasSuffix("+0000") { return String(stamp.dropLast(5)) + "Z" }
        if stamp.hasSuffix("Z") { return stamp }
        guard let date = SalesforceDateTime.parse(stamp) else { return stamp }
        return soqlDateTime(date)
    }

    /// A SOQL datetime literal (UTC, whole seconds).
    static func soqlDateTime(_ date: Date) -> String {
        String(SalesforceDateTime.format(date).dropLast(6)) + "Z"
    }

    /// The fields a page reads, in select-list order.
    var selectList: [String] { ["Id"] + fields + phoneFields + ["SystemModstamp"] }

    /// What to do with one record of a page.
    enum Outcome {
        case upsert(CRMRecord, unparsed: Int)
        /// Out of the index: converted lead, person account's hidden contact, or no phone left.
        case remove(String)
    }

    /// A page's columns and where each field the mapping reads is among them.
    struct PageColumns {
        let columns: QueryColumns
        let id: Int
        let stamp: Int
        let phones: [(field: String, column: Int)]
        let name, accountId, accountName, company, owner, lastModified, isConverted, isPersonAccount: Int?

        init(_ entity: PhoneIndexEntity) {
            let columns = QueryColumns(entity.selectList)
            self.columns = columns
            id = 0
            stamp = columns.paths.count - 1
            phones = entity.phoneFields.map { ($0, columns.index(of: $0)!) }
            name = columns.index(of: "Name")
            accountId = columns.index(of: "AccountId")
            accountName = columns.index(of: "Account.Name")
            company = columns.index(of: "Company")
            owner = columns.index(of: "Owner.Name")
            lastModified = columns.index(of: "LastModifiedDate")
            isConverted = columns.index(of: "IsConverted")
            isPersonAccount = columns.index(of: "IsPersonAccount")
        }
    }

    /// Maps record `row` of a page; nil when it has no Id.
    func outcome(_ rows: QueryRows, row: Int, columns c: PageColumns, instanceURL: String, region: PhoneRegion, internalDigits: Int) -> Outcome? {
        func value(_ column: Int?) -> String? { column.flatMap { rows[row, $0] } }
        guard let id = value(c.id), !id.isEmpty else { return nil }
        let isPersonAccount = value(c.isPersonAccount) == "true"
        if type == .lead, value(c.isConverted) == "true" { return .remove(id) }
        if type == .contact, isPersonAccount { return .remove(id) }
        var phones: [PhoneField] = []
        var unparsed = 0
        for (field, column) in c.phones {
            guard let raw = value(column), raw.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) || raw.contains(where: \.isNumber) else { continue }
            let parsed = try? PhoneNumber.parse(raw, defaultRegion: region, internalNumberDigits: internalDigits)
            if parsed == nil { unparsed += 1 }
            phones.append(PhoneField(field: field, raw: raw, e164: parsed?.e164))
        }
        guard phones.contains(where: { $0.e164 != nil }) else { return .remove(id) }
        let name = value(c.name) ?? id
        var accountId: String?
        var accountName: String?
        switch type {
        case .contact:
            accountId = value(c.accountId)
            accountName = value(c.accountName)
        case .lead:
            accountName = value(c.company)
        case .account, .caseRecord, .opportunity:
            break
        }
        let modified = value(c.lastModified).flatMap(SalesforceDateTime.parse) ?? Date(timeIntervalSince1970: 0)
        let record = CRMRecord(type: type, id: id, name: name.isEmpty ? id : name, accountId: accountId, accountName: accountName,
                               phones: phones, owner: value(c.owner), lastModified: modified, isPersonAccount: isPersonAccount,
                               url: instanceURL + "/lightning/r/" + type.rawValue + "/" + id + "/view")
        return .upsert(record, unparsed: unparsed)
    }
}
