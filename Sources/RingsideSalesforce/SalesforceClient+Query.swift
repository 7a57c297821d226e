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
        var page = try await send(.get, dataPath("/\(resource)/"), query: [("q", soql)], operation: resource)
        var records: [JSONValue] = []
        var pages = 1
        let total = page["totalSize"]?.intValue ?? 0
        while true {
            guard let list = page["records"]?.arrayValue else {
                throw .malformedResponse(status: 200, operation: resource, reason: "no records array", processed: false)
            }
            records += list
            guard page["done"]?.boolValue == false, let next = page["nextRecordsUrl"]?.stringValue else { break }
            guard next.hasPrefix("/services/data/"), pages < 100_000 else {
                throw .malformedResponse(status: 200, operation: resource, reason: "unexpected nextRecordsUrl", processed: false)
            }
            page = try await send(.get, next, operation: "\(resource) (next page)")
            pages += 1
        }
        return QueryResult(totalSize: total, records: records, pages: pages)
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
