import Foundation
import RingsideTestSupport
import Testing

/// `ringside emulator`, `login`, `doctor` and `lookup --salesforce` as separate processes over real libcurl.
@Suite(.serialized) struct SalesforceCommandTests {
    static var binary: String { CommandLineTests.binary }
    let home = NSTemporaryDirectory() + "ringside-sf-cli-\(UUID().uuidString)"

    func environment(_ url: String, password: String = "demo-password") -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RINGSIDE_") }
        env.merge(["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config",
                   "RINGSIDE_CRM_KIND": "salesforce", "RINGSIDE_SALESFORCE_LOGIN_URL": url, "RINGSIDE_SALESFORCE_AUTH": "password",
                   "RINGSIDE_SALESFORCE_CLIENT_ID": "ringside-demo-client", "RINGSIDE_SALESFORCE_CLIENT_SECRET": "ringside-demo-secret",
                   "RINGSIDE_SALESFORCE_USERNAME": "agent@ringside.example", "RINGSIDE_SALESFORCE_PASSWORD": password,
                   "RINGSIDE_SALESFORCE_SECURITY_TOKEN": "DEMOTOKEN"]) { $1 }
        return env
    }

    func withEmulator(_ options: [String] = [], _ body: (String) async throws -> Void) async throws {
        var env = ProcessInfo.processInfo.environment
        env["XDG_DATA_HOME"] = home + "/emu"
        let emulator = try ProcessRunner.start(Self.binary, ["emulator"] + options, environment: env)
        defer { emulator.kill() }
        #expect(await emulator.waitForOutput(containing: "listening on", timeout: 60), "emulator output: \(emulator.stdout) \(emulator.stderr)")
        let url = try #require(emulator.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        try await body(url)
    }

    @Test func loginDoctorAndLookupAgainstTheEmulator() async throws {
        try await withEmulator { url in
            let login = try await ProcessRunner.run(Self.binary, ["login"], environment: environment(url))
            #expect(login.status == 0, "\(login.stdout)\(login.stderr)")
            #expect(login.stdout.contains("Signed in as Demo Agent"))

            let doctor = try await ProcessRunner.run(Self.binary, ["doctor"], environment: environment(url))
            #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
            #expect(doctor.stdout.contains("✔ signed in to"))
            #expect(doctor.stdout.contains("✔ call record fields createable on Task"))
            #expect(!doctor.stdout.contains("✖"))

            let lookup = try await ProcessRunner.run(Self.binary, ["lookup", "--salesforce", "07814 256404"], environment: environment(url))
            #expect(lookup.status == 0, "\(lookup.stderr)")
            #expect(lookup.stdout.contains("Salesforce, 1 request(s)"))
            #expect(lookup.stdout.contains("Fred Bloggs"))
        }
    }

    /// Issue 15: doctor says how the saved token is protected: encrypted with a keyring key, or a plain 0600 file.
    @Test func doctorNamesTheTokenProtection() async throws {
        try await withEmulator { url in
            let doctor = try await ProcessRunner.run(Self.binary, ["doctor"], environment: environment(url))
            #expect(doctor.stdout.contains("✔ saved token: encrypted (AES-256-GCM), key in the kernel")
                    || doctor.stdout.contains("✔ saved token: not encrypted"), "\(doctor.stdout)")
            var off = environment(url)
            off["RINGSIDE_TOKEN_KEYRING"] = "off"
            let plain = try await ProcessRunner.run(Self.binary, ["doctor"], environment: off)
            #expect(plain.stdout.contains("✔ saved token: not encrypted"), "\(plain.stdout)")
            #expect(plain.stdout.contains("mode 0600 only"))
        }
    }

    /// Issue 14: doctor says whether Task has the call-id External ID field, and if not how an admin adds it.
    @Test func doctorTellsWhetherDeliveriesAreUpsertsAndHowToGetThere() async throws {
        try await withEmulator() { url in
            let doctor = try await ProcessRunner.run(Self.binary, ["doctor"], environment: environment(url))
            #expect(doctor.status == 0, "advice is not a failure: \(doctor.stdout)\(doctor.stderr)")
            #expect(doctor.stdout.contains("! no External ID field for the call id on Task"))
            for step in ["Ringside Call Id", "Ringside_Call_Id__c", "Length: 64", "Data type: Text", "\"Unique\"", "\"External ID\""] {
                #expect(doctor.stdout.contains(step), "doctor should say \(step):\n\(doctor.stdout)")
            }
        }
        try await withEmulator(["--call-id-field"]) { url in
            let doctor = try await ProcessRunner.run(Self.binary, ["doctor"], environment: environment(url))
            #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
            #expect(doctor.stdout.contains("✔ call id field Task.Ringside_Call_Id__c (External ID): deliveries are upserts"))
            #expect(!doctor.stdout.contains("a Salesforce admin adds the field"))
        }
    }

    @Test func doctorSaysWhatToFixAndNeverPrintsThePassword() async throws {
        try await withEmulator { url in
            let doctor = try await ProcessRunner.run(Self.binary, ["doctor"], environment: environment(url, password: "wrong-password-123"))
            #expect(doctor.status != 0)
            #expect(doctor.stdout.contains("✖ sign-in"))
            #expect(doctor.stdout.contains("→"), "each failure says what to try")
            #expect(!(doctor.stdout + doctor.stderr).contains("wrong-password-123"))
            #expect(!(doctor.stdout + doctor.stderr).contains("ringside-demo-secret"))
        }
    }

    /// Issue 15: an org without Person Accounts, with a custom phone field, a hidden object and a Task field
    /// without field-level access: doctor explains each difference, and lookup works.
    @Test func doctorExplainsWhatDescribeFoundInARestrictedOrgWithoutPersonAccounts() async throws {
        try await withEmulator(["--no-person-accounts", "--custom-phone-field", "Contact.Mobile_2__c", "--hide", "Opportunity",
                                "--read-only-field", "Task.TaskSubtype"]) { url in
            let doctor = try await ProcessRunner.run(Self.binary, ["doctor"], environment: environment(url))
            #expect(doctor.stdout.contains("Person Accounts: not enabled in this org"), "\(doctor.stdout)")
            #expect(doctor.stdout.contains("Contact phone fields: Phone, MobilePhone, HomePhone, OtherPhone, AssistantPhone, Mobile_2__c (custom: Mobile_2__c)"))
            #expect(doctor.stdout.contains("Opportunity: not visible for your profile"))
            #expect(doctor.stdout.contains("✖ TaskSubtype not createable for your profile on Task"))
            #expect(doctor.stdout.contains("ask an admin for field access"))
            #expect(doctor.status != 0)
            let lookup = try await ProcessRunner.run(Self.binary, ["lookup", "--salesforce", "07814 256404"], environment: environment(url))
            #expect(lookup.status == 0, "\(lookup.stdout)\(lookup.stderr)")
            #expect(!lookup.stdout.contains("INVALID_FIELD") && !lookup.stderr.contains("INVALID_FIELD"))
        }
    }

    /// Issue 15: in Salesforce mode without a directory_file, nothing seeds the demo people into the database.
    @Test func salesforceModeNeverSeedsTheDemoDirectory() async throws {
        let env = environment("https://example.my.salesforce.com")
        let count = try await ProcessRunner.run(Self.binary, ["directory", "count"], environment: env)
        #expect(count.status == 0, "\(count.stderr)")
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let lookup = try await ProcessRunner.run(Self.binary, ["lookup", "07814 256404"], environment: env)
        #expect(!lookup.stdout.contains("Fred Bloggs"), "\(lookup.stdout)")
        let again = try await ProcessRunner.run(Self.binary, ["directory", "count"], environment: env)
        #expect(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        // Local mode still has its demo.
        var local = env
        local["RINGSIDE_CRM_KIND"] = "local"
        local["XDG_DATA_HOME"] = home + "/local-data"
        let demo = try await ProcessRunner.run(Self.binary, ["directory", "count"], environment: local)
        #expect((Int(demo.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 200)
    }
}
