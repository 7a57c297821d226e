import Foundation

extension CallMachine {
    /// "1 match", "3 matches", "no match", "looking up…" for messages and the call panel.
    public var matchSummary: String {
        switch match {
        case .notStarted: "not looked up"
        case .skippedInternal: "internal number, not looked up"
        case .searching: "looking up…"
        case .failed(let why): "lookup failed: \(why)"
        case .finished(.pop, _): "1 match"
        case .finished(.search(let records), _): "\(records.count) matches"
        case .finished(.new, _): "no match"
        }
    }

    /// The record created with New during this call, if any.
    public var createdEntity: EntityRef? {
        for interaction in association.interactions.reversed() {
            if case .created(let ref) = interaction { return ref }
        }
        return nil
    }

    /// The entity the agent popped, chose, navigated to or created (last one wins).
    public var chosenEntity: EntityRef? { association.interactions.last?.entity }

    /// Search candidates newest first, as the pick list shows them.
    public var searchCandidates: [CRMRecord] {
        guard case .finished(.search(let records), _) = match else { return [] }
        return records.sorted { a, b in
            a.lastModified != b.lastModified ? a.lastModified > b.lastModified : a.id < b.id
        }
    }
}
