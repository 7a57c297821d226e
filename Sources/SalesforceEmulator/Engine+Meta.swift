import Foundation

/// Versions list, per-version resources, limits, describe.
extension EmulatorEngine {
    static let releaseNames: [String: String] = [
        "51.0": "Spring '21", "52.0": "Summer '21", "53.0": "Winter '22", "54.0": "Spring '22",
        "55.0": "Summer '22", "56.0": "Winter '23", "57.0": "Spring '23", "58.0": "Summer '23",
        "59.0": "Winter '24", "60.0": "Spring '24", "61.0": "Summer '24", "62.0": "Winter '25",
        "63.0": "Spring '25", "64.0": "Summer '25", "65.0": "Winter '26", "66.0": "Spring '26",
    ]

    func versionEntry(_ v: String) -> EmulatorJSON {
        ["label": .string(Self.releaseNames[v] ?? "API \(v)"), "url": .string("/services/data/v\(v)"), "version": .string(v)]
    }

    func resources(version: String) -> EmulatorRecord {
        var out: EmulatorRecord = [:]
        for name in ["sobjects", "query", "queryAll", "search", "parameterizedSearch", "limits", "composite"] {
            out[name] = .string("/services/data/v\(version)/\(name)")
        }
        return out
    }

    func limits() -> EmuResponse {
        .json(200, [
            "DailyApiRequests": ["Max": .number(Double(dailyLimit)), "Remaining": .number(Double(max(0, dailyLimit - apiUsage)))],
            "ConcurrentAsyncGetReportInstances": ["Max": 200, "Remaining": 200],
            "DailyBulkApiBatches": ["Max": 15000, "Remaining": 15000],
            "DataStorageMB": ["Max": 200, "Remaining": 200],
        ])
    }

    func describeGlobal(version: String) -> EmuResponse {
        let objects = store.tables.values.sorted { $0.name < $1.name }.map { t -> EmulatorJSON in
            .object(describeBasics(t.def, version: version))
        }
        return .json(200, ["encoding": "UTF-8", "maxBatchSize": 200, "sobjects": .array(objects)])
    }

    func describeBasics(_ def: ObjectDef, version: String) -> EmulatorRecord {
        let base = "/services/data/v\(version)/sobjects/\(def.name)"
        return [
            "name": .string(def.name), "label": .string(def.label), "keyPrefix": .string(def.keyPrefix),
            "custom": .bool(def.name.hasSuffix("__c")), "createable": true, "updateable": true, "deletable": true,
            "queryable": true, "searchable": .bool(def.searchable),
            "urls": ["sobject": .string(base), "describe": .string(base + "/describe"),
                     "rowTemplate": .string(base + "/{ID}")],
        ]
    }

    func describe(_ def: ObjectDef, version: String) -> EmuResponse {
        var out = describeBasics(def, version: version)
        out["fields"] = .array(def.fields.map { f in
            var field: EmulatorRecord = [
                "name": .string(f.name), "label": .string(f.label), "type": .string(f.type.rawValue),
                "soapType": .string(f.type.soapType), "length": .number(Double(f.length)),
                "createable": .bool(f.createable), "updateable": .bool(f.updateable), "nillable": .bool(f.nillable),
                "custom": .bool(f.custom), "restrictedPicklist": .bool(f.restricted),
                "externalId": .bool(f.externalId), "unique": .bool(f.unique), "idLookup": .bool(f.externalId || f.name == "Id"),
                "referenceTo": .array(f.referenceTo.map { .string($0) }),
                "relationshipName": f.relationshipName.map { .string($0) } ?? .null,
                "defaultedOnCreate": .bool(f.defaultValue != nil),
                "picklistValues": .array(f.picklist.map { v in
                    ["value": .string(v), "label": .string(v), "active": true,
                     "defaultValue": .bool(f.defaultValue == .string(v)), "validFor": .null]
                }),
            ]
            if f.type == .int || f.type == .double || f.type == .currency { field["length"] = 0 }
            return .object(field)
        })
        return .json(200, .object(out))
    }
}
