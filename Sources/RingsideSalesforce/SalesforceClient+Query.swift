import Foundation
import RingsideCore

/// One page-followed SOQL result.
public struct QueryResult: Hashable, Sendable {
    /// `totalSize` as reported by Salesforce.
    public var totalSize: Int
    /// Every record of every page, with `attributes`.
    public var records: [JSONValue]
    /// Requests it took (1 + pages followed).
    public var pages: Int
}

/// A record deleted in a time window (`/sobjects/T/deleted`).
public struct DeletedRecord: Hashable, Sendable {
    public var id: String
    public var deletedDate: Date?
}

/// The `deleted` resource's answer.
public struct DeletedRecords: Hashable, Sendable {
    public var records: [DeletedRecord]
    /// When later than the window's start, older deletions are gone: a full re-sync is needed.
    public var earliestDateAvailable: Date?
    /// Use as the next window's start.
    public var latestDateCovered: Date?
}

/// One entry of `/limits`.
public struct APILimit: Hashable, Sendable {
    public var max: Int
    public var remaining: Int
}

/// SOQL with paging, record updates, deletions and limits.
extension SalesforceClient {
    /// Runs SOQL and follows `nextRecordsUrl` to the end.
    public func query(_ soql: String) async throws(SalesforceError) -> QueryResult {
        try await runQuery(soql, resource: "query")
    }

    /// As `query`, including deleted and archived records.
    public func queryAll(_ soql: String) async throws(SalesforceError) -> QueryResult {
        try await runQuery(soql, resource: "queryAll")
    }

    private func runQuery(_ soql: String, resource: String) async throws(SalesforceError) -> QueryResult {
        let (total, records, pages) = try await followPages(soql, resource: resource) { body -> QueryPage<[JSONValue]>? in
            JSONValue.parse(body).map { page in
                QueryPage(totalSize: page["totalSize"]?.intValue, done: page["done"]?.boolValue,
                          nextRecordsUrl: page["nextRecordsUrl"]?.stringValue, records: page["records"]?.arrayValue)
            }
        }
        return QueryResult(totalSize: total, records: records, pages: pages)
    }

    /// Runs SOQL and follows `nextRecordsUrl` to the end, keeping only `columns` of each record (issue 16: no
    /// `JSONValue` tree per record). `columns` are field paths of the select list (`Name`, `Account.Name`).
    public func queryRows(_ soql: String, columns: QueryColumns) async throws(SalesforceError) -> QueryRows {
        let (total, values, pages) = try await followPages(soql, resource: "query") { body in
            QueryPage.parse(body, columns: columns)
        }
        return QueryRows(columns: columns, totalSize: total, values: values, pages: pages)
    }

    /// Sends the query, then each `nextRecordsUrl`, decoding every page with `decode`; returns the first page's
    /// `totalSize`, every page's records and the number of pages.
    private func followPages<Records: RangeReplaceableCollection>(
        _ soql: String, resource: String, decode: (Data) -> QueryPage<Records>?
    ) async throws(SalesforceError) -> (total: Int, records: Records, pages: Int) {
        func fetch(_ path: String, query: [(String, String)], operation: String) async throws(SalesforceError) -> QueryPage<Records> {
            let response = try await sendForResponse(.get, path, query: query, operation: operation)
            return try ResponseDecoding.decoded(response, operation: operation, isWrite: false, empty: QueryPage<Records>(), decode)
        }
        var page = try await fetch(dataPath("/\(resource)/"), query: [("q", soql)], operation: resource)
        var records = Records()
        var pages = 1
        let total = page.totalSize ?? 0
        while true {
            guard let list = page.records else {
                throw .malformedResponse(status: 200, operation: resource, reason: "no records array", processed: false)
            }
            records += list
            guard page.done == false, let next = page.nextRecordsUrl else { break }
            guard next.hasPrefix("/services/data/"), pages < 100_000 else {
                throw .malformedResponse(status: 200, operation: resource, reason: "unexpected nextRecordsUrl", processed: false)
            }
            page = try await fetch(next, query: [], operation: "\(resource) (next page)")
            pages += 1
        }
        return (total, records, pages)
    }

    /// `PATCH /sobjects/Type/Id` with the given fields.
    public func update(type: String, id: String, fields: [String: JSONValue]) async throws(SalesforceError) {
        try Self.checkIdentifier(type)
        guard (try? SalesforceID(id)) != nil else {
            throw .api(status: 400, errors: [APIErrorDetail(errorCode: "MALFORMED_ID", message: "\(id) is not a 15- or 18-character record id",
                                                            fields: ["Id"])], operation: "update \(type)")
        }
        _ = try await send(.patch, dataPath("/sobjects/\(type)/\(id)"), body: .object(fields), operation: "update \(type)")
    }

    /// Records of `type` deleted between `start` and `end` (at most 15 days back).
    public func deleted(type: String, start: Date, end: Date) async throws(SalesforceError) -> DeletedRecords {
        try Self.checkIdentifier(type)
        let value = try await send(.get, dataPath("/sobjects/\(type)/deleted/"),
                                   query: [("start", SalesforceDateTime.format(start)), ("end", SalesforceDateTime.format(end))],
                                   operation: "deleted \(type)")
        guard let list = value["deletedRecords"]?.arrayValue else {
            throw .malformedResponse(status: 200, operation: "deleted \(type)", reason: "no deletedRecords", processed: false)
        }
        return DeletedRecords(
            records: list.compactMap { item in
                item["id"]?.stringValue.map { DeletedRecord(id: $0, deletedDate: item["deletedDate"]?.stringValue.flatMap(SalesforceDateTime.parse)) }
            },
            earliestDateAvailable: value["earliestDateAvailable"]?.stringValue.flatMap(SalesforceDateTime.parse),
            latestDateCovered: value["latestDateCovered"]?.stringValue.flatMap(SalesforceDateTime.parse))
    }

    /// The org's limits (`DailyApiRequests` …).
    public func limits() async throws(SalesforceError) -> [String: APILimit] {
        let value = try await send(.get, dataPath("/limits/"), operation: "limits")
        guard let object = value.objectValue else {
            throw .malformedResponse(status: 200, operation: "limits", reason: "not an object", processed: false)
        }
        var out: [String: APILimit] = [:]
        for (name, entry) in object {
            if let max = entry["Max"]?.intValue, let remaining = entry["Remaining"]?.intValue {
                out[name] = APILimit(max: max, remaining: remaining)
            }
        }
        return out
    }

    /// The API versions the instance offers (`GET /services/data/`, not counted against limits).
    public func availableVersions() async throws(SalesforceError) -> [String] {
        let value = try await send(.get, "/services/data/", operation: "versions")
        return value.arrayValue?.compactMap { $0["version"]?.stringValue } ?? []
    }
}
