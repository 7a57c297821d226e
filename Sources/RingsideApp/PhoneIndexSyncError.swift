import Foundation
import RingsideSalesforce
import RingsideStore

/// Why a sync could not finish, with what to do. Everything written before the failure stays in the
/// index, and the next `ringside sync` continues from the last completed page.
public enum PhoneIndexSyncError: Error, Sendable, CustomStringConvertible {
    /// The CRM is not Salesforce: there is nothing to sync from.
    case notSalesforce(crm: String)
    /// None of the searched entities has phone fields Ringside indexes.
    case noEntities
    /// Salesforce refused or failed a request.
    case salesforce(SalesforceError, step: String, resumeFrom: String?)
    /// The local database failed.
    case store(StoreError)
    /// The stored checkpoint cannot be read.
    case corruptState(reason: String)
    /// The run was cancelled (Ctrl-C, agent shutting down).
    case cancelled(resumeFrom: String?)

    public var description: String {
        switch self {
        case .notSalesforce(let crm):
            return "the phone index syncs from Salesforce, but crm.kind is \"\(crm)\"; set crm.kind = \"salesforce\" "
                + "(the local directory needs no sync)"
        case .noEntities:
            return "crm.searched_entities names none of Contact, Account or Lead, so there are no phone fields to sync; add at least one"
        case .salesforce(let error, let step, let resume):
            // The error's description already says what to fix.
            return "\(step) failed: \(error) Run `ringside sync` again to continue\(resume.map { " from \($0)" } ?? ""); "
                + "nothing synced so far is lost"
        case .store(let error):
            return "the phone index could not be written: \(error)"
        case .corruptState(let reason):
            return "the sync checkpoint in the settings table is unreadable (\(reason)); run `ringside sync --full` to start over"
        case .cancelled(let resume):
            return "sync interrupted; run `ringside sync` to continue\(resume.map { " from \($0)" } ?? "")"
        }
    }
}
