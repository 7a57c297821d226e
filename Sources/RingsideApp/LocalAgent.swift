import Foundation
import RingsideCore
import RingsidePhone
import RingsideStore

/// Builds the embedded back end (local directory + simulated phone + SQLite) from a config.
public struct LocalAgent: Sendable {
    public let config: RingsideConfig
    public let database: RingsideDatabase
    public let store: SQLiteCallStore
    public let directory: LocalDirectory
    public let user: AgentUser
    public let scenarios: [String: String]

    /// Opens the database, seeds the demo directory on first run, and completes interrupted wrap-ups.
    /// - Parameter seedDemo: seed the demo directory when no `directory_file` is set; nil (default): only in
    ///   local mode. A Salesforce-mode database never gets demo records (issue 15), and loses any it has.
    public init(config: RingsideConfig, seedDemo: Bool? = nil) throws {
        let salesforce = config.crm == "salesforce"
        let seedDemo = seedDemo ?? !salesforce
        self.config = config
        database = try RingsideDatabase(path: config.databasePath)
        store = SQLiteCallStore(database: database)
        user = AgentUser(id: config.agentUserId, name: config.agentName, timeZone: config.timeZone)
        directory = LocalDirectory(database: database, region: config.region, internalNumberDigits: config.internalNumberDigits, user: user)
        if salesforce && config.directoryFile.isEmpty { try database.removeDemoRecords() }
        let file = config.directoryFile.isEmpty ? (seedDemo && !salesforce ? ResourceLocator.path("demo-directory.json") : nil) : config.directoryFile
        var scenarios: [String: String] = [:]
        if let file {
            try directory.seedIfEmpty(fromFile: file)
            scenarios = (try? DirectoryFile.load(path: file).scenarios) ?? [:]
        }
        self.scenarios = scenarios
        // Calls the app stopped during wrap-up are completed now: queued for Salesforce, kept locally otherwise.
        let completed: DeliveryState = config.crm == "salesforce" && config.schedule != .off ? .queued : .local
        try store.completeStrandedWrapUps(completedState: completed, at: Date())
    }

    /// Settings for the local back end: records are kept locally (there is no remote CRM to deliver to).
    public var settings: SessionSettings {
        var settings = config.sessionSettings
        settings.completedState = .local
        return settings
    }

    public func runtime(phone: SimulatedPhone, isDemo: Bool, clock: @escaping @Sendable () -> Date = { Date() },
                        newID: @escaping @Sendable () -> CallObjectID = { UUID().uuidString.lowercased() }) async -> AgentRuntime {
        let runtime = AgentRuntime(settings: settings, user: user, crm: indexedDirectory(), phone: phone, store: store, directory: directory,
                     scenarios: scenarios, labels: .init(crm: "Local directory", phone: "Simulated phone", isDemo: isDemo),
                     clock: clock, newID: newID)
        await runtime.setPostCallFields(config.postCallFields)
        return runtime
    }

    /// The local directory behind the same in-memory phone index Salesforce mode uses, so demo pops are
    /// answered from memory too. The index loads in the background (the console paints first); until then, and
    /// if it can't load, lookups use the directory's indexed SQLite query.
    public func indexedDirectory() -> any CRM {
        let indexed = IndexedCRM(base: directory, store: PhoneIndexStore(database: database), writesBack: false,
                                 snapshotPath: database.path + ".index")
        indexed.loadInBackground()
        return indexed
    }
}
