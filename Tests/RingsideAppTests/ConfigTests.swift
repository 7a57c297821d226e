import Foundation
@testable import RingsideApp
import RingsideSalesforce
import RingsideCore
import RingsideUI
import RingsideSalesforce
import Testing

@Suite struct ConfigTests {
    func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "ringside-config-\(UUID().uuidString).toml"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func defaultsWithoutAFile() throws {
        let config = try RingsideConfig.load(path: nil, environment: ["HOME": "/nonexistent-home"])
        #expect(config.region == .GB)
        #expect(config.internalNumberDigits == 5)
        #expect(config.defaultNewEntity == .lead)
        #expect(config.searchedEntities == [.contact, .account, .lead])
        #expect(config.databasePath == "/nonexistent-home/.local/share/ringside/ringside.sqlite")
    }

    /// Issue 19: `config --example` documents every key of the key table (with its environment variable), and
    /// reads as a valid file that changes nothing; uncommenting every non-secret line gives the defaults back.
    @Test func theExampleDocumentsEveryKey() throws {
        let example = RingsideConfig.example()
        var section = ""
        var documented = Set<String>()
        for line in example.split(separator: "\n") {
            if line.hasPrefix("[") { section = String(line.dropFirst().dropLast()) }
            if line.hasPrefix("# "), let eq = line.range(of: " = ") {
                documented.insert(section + "." + line[line.index(line.startIndex, offsetBy: 2)..<eq.lowerBound])
            }
        }
        for key in RingsideConfig.keys {
            #expect(documented.contains(key.path), "config --example does not document \(key.path)")
            #expect(example.contains(key.environmentName))
        }
        let env = ["HOME": "/x"]
        let plain = try RingsideConfig.load(path: write(example), environment: env)
        #expect(plain.agentName == RingsideConfig().agentName && plain.sources.count == 1)
        section = ""
        let uncommented = example.split(separator: "\n").map { line -> String in
            if line.hasPrefix("[") { section = String(line.dropFirst().dropLast()) }
            guard line.hasPrefix("# "), let eq = line.range(of: " = "),
                  let key = RingsideConfig.keys.first(where: { $0.path == section + "." + line[line.index(line.startIndex, offsetBy: 2)..<eq.lowerBound] }),
                  !key.secret else { return String(line) }
            return String(line.dropFirst(2))
        }.joined(separator: "\n")
        let explicit = try RingsideConfig.load(path: write(uncommented), environment: env)
        // (data.dir: the example shows this machine's default, the test loads with HOME=/x)
        let a = explicit.printable().split(separator: "\n").dropFirst().filter { !$0.hasPrefix("dir = ") }
        let b = plain.printable().split(separator: "\n").dropFirst().filter { !$0.hasPrefix("dir = ") }
        #expect(Array(a) == Array(b), "\(zip(a, b).filter { $0 != $1 })")
    }

    @Test func fileValuesAndEnvironmentOverrides() throws {
        let path = write("""
            [agent]
            region = "US"   # comment
            internal_number_digits = 4
            not_ready_reasons = [
              "Lunch",
              "Coaching",
            ]
            [crm]
            searched_entities = "Contact; Lead"
            default_new_entity = "Contact"
            """)
        let config = try RingsideConfig.load(path: path, environment: ["RINGSIDE_AGENT_INTERNAL_NUMBER_DIGITS": "6", "RINGSIDE_WRAPUP_SECONDS": "0"])
        #expect(config.region == .US)
        #expect(config.internalNumberDigits == 6)
        #expect(config.wrapUpSeconds == 0)
        #expect(config.notReadyReasons == ["Lunch", "Coaching"])
        #expect(config.searchedEntities == [.contact, .lead])
        #expect(config.defaultNewEntity == .contact)
    }

    @Test(arguments: [
        ("[agent]\nregoin = \"GB\"\n", ":2: unknown setting agent.regoin"),
        ("[agent]\nregion = GB\n", ":2: can't read the value \"GB\""),
        ("[agent]\ninternal_number_digits = 99\n", ":2: agent.internal_number_digits = 99 is out of range"),
        ("[agent]\ntime_zone = \"Mars/Olympus\"\n", ":2: agent.time_zone = \"Mars/Olympus\": unknown time zone"),
        ("[nonsense]\nx = 1\n", ":1: unknown setting nonsense (known sections: agent, crm"),
        ("[crm]\nsearched_entities = [\"Contact\", \"Widget\"]\n", "unknown entity \"Widget\""),
        ("[agent]\nname = \"a\nb\"\n", ":2: a string is not closed"),
        ("[agent]\r\nname = \"a\"\r\nregoin = 1\r\n", ":3: unknown setting agent.regoin (did you mean agent.region?"),
        ("[agent]\nname = \"x\"\n[agent]\n", ":3: [agent] is defined twice"),
        ("[agent]\nnot_ready_reasons = [\n  \"Lunch\",\n  Coffee,\n]\n", ":4: can't read the value"),
        ("[agent]\nname = 'Sam'\ninternal_number_digits = 0x1F\n", ":3: agent.internal_number_digits = 31 is out of range"),
        ("[agent]\nname = { first = \"Sam\" }\n", ":2: agent.name must be a string in quotes, not a table"),
        ("[postcall]\nopportunity_fields = { NextStep = 1 }\n", ":2: postcall.opportunity_fields.NextStep must be a string"),
        ("agent.name = \"x\"\n\n[agent]\n", ":3: [agent] is defined twice"),
        ("[agent]\nname = \"\"\"\nnever closed\n", ":4: a multi-line string is not closed"),
        ("[[agent]]\nname = \"x\"\n", ":1: unknown setting agent"),
        ("[agent]\nname = \"a\"\nname = \"b\"\n", ":3: agent.name is set twice"),
        ("[delivery]\ndaily_at = \"25:00\"\n", "write it like 23:00"),
        ("[phone]\nlink = \"sip:alice\"\n", "baresip://"),
    ])
    func badFilesNameTheLine(text: String, expected: String) throws {
        let path = write(text)
        #expect { try RingsideConfig.load(path: path, environment: [:]) } throws: { error in
            "\(error)".contains(path) && "\(error)".contains(expected)
        }
    }

    /// Issue 14: the client timeout, the uncertain wait and the call-id field reach the Salesforce settings.
    @Test func deliveryTimingAndCallIdFieldSettings() throws {
        let defaults = try RingsideConfig.load(path: nil, environment: ["HOME": "/nonexistent-home"])
        #expect(defaults.salesforceTimeoutSeconds == 20 && defaults.uncertainWaitSeconds == 120 && defaults.callIdField.isEmpty)
        var config = try RingsideConfig.load(path: nil, environment: [
            "HOME": "/x", "RINGSIDE_SALESFORCE_TIMEOUT_SECONDS": "45", "RINGSIDE_DELIVERY_UNCERTAIN_WAIT_SECONDS": "300",
            "RINGSIDE_SALESFORCE_CALL_ID_FIELD": "Ringside_Call_Id__c", "RINGSIDE_SALESFORCE_CLIENT_ID": "id"])
        #expect(config.salesforceTimeoutSeconds == 45 && config.uncertainWaitSeconds == 300)
        var settings = try SalesforceAgent.settings(from: config)
        #expect(settings.requestTimeouts.total == .seconds(45))
        #expect(settings.callIdField == .named("Ringside_Call_Id__c"))
        config.callIdField = "none"
        settings = try SalesforceAgent.settings(from: config)
        #expect(settings.callIdField == CallIdField.none)
        config.callIdField = ""
        #expect(try SalesforceAgent.settings(from: config).callIdField == .detect)
        #expect(throws: ConfigError.self) {
            try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_SALESFORCE_CALL_ID_FIELD": "Bad Field; DROP"])
        }
        #expect(throws: ConfigError.self) {
            try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_SALESFORCE_TIMEOUT_SECONDS": "0"])
        }
    }

    @Test func badEnvironmentValueNamesTheVariable() {
        #expect { try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_WRAPUP_SECONDS": "soon"]) } throws: {
            "\($0)".contains("RINGSIDE_WRAPUP_SECONDS")
        }
    }

    @Test func missingExplicitFileIsAnError() {
        #expect(throws: ConfigError.self) { try RingsideConfig.load(path: "/nonexistent/ringside.toml", environment: [:]) }
    }

    @Test func printRedactsSecrets() throws {
        let config = try RingsideConfig.load(path: nil, environment: [
            "HOME": "/x", "RINGSIDE_SALESFORCE_CLIENT_SECRET": "s3cr3t-value", "RINGSIDE_SALESFORCE_PASSWORD": "hunter2hunter2",
        ])
        let text = config.printable()
        #expect(!text.contains("s3cr3t-value"))
        #expect(!text.contains("hunter2hunter2"))
        #expect(text.contains("# client_secret = \"[REDACTED]\""))
        #expect(text.contains("# security_token = \"\"  (unset)"))
        #expect(config.secrets.contains("s3cr3t-value"))
    }

    /// Issue 15: a template mistake is a config error with the file, line and key.
    @Test func aBadRecordTemplateIsAConfigErrorWithFileLineAndKey() throws {
        let good = try RingsideConfig.load(path: write("[record]\nsubject = \"{direction} call {number} ({name})\"\n"), environment: [:])
        #expect(good.sessionSettings.subjectTemplate?.source == "{direction} call {number} ({name})")
        #expect(good.sessionSettings.descriptionTemplate == nil)
        let path = write("[agent]\nregion = \"GB\"\n\n[record]\ndescription = \"{notes} by {agent}\"\n")
        #expect { try RingsideConfig.load(path: path, environment: [:]) } throws: { error in
            let text = "\(error)"
            return text.contains("\(path):5:") && text.contains("record.description") && text.contains("unknown placeholder {agent}")
        }
    }

    /// Issue 15: a refresh token for auth = "refresh_token" is a secret like the others, and reaches the settings.
    @Test func refreshTokenIsASecretSettingAndPersonAccountsDefaultToAuto() throws {
        let config = try RingsideConfig.load(path: nil, environment: [
            "HOME": "/x", "RINGSIDE_SALESFORCE_AUTH": "refresh_token", "RINGSIDE_SALESFORCE_REFRESH_TOKEN": "5Aep861-refresh-secret",
            "RINGSIDE_SALESFORCE_CLIENT_ID": "client",
        ])
        let text = config.printable()
        #expect(!text.contains("5Aep861-refresh-secret"))
        #expect(text.contains("# refresh_token = \"[REDACTED]\""))
        #expect(text.contains("person_accounts = \"auto\""))
        #expect(config.secrets.contains("5Aep861-refresh-secret"))
        let settings = try SalesforceAgent.settings(from: config)
        #expect(settings.refreshToken == "5Aep861-refresh-secret")
        #expect(settings.authKind == .refreshToken)
        #expect(settings.personAccounts == nil, "describe decides")
        var forced = config
        forced.personAccounts = "false"
        #expect(try SalesforceAgent.settings(from: forced).personAccounts == false)
    }
}

/// A config file with `text` in the temporary folder (issue 18's suites).
private func writeConfigFile(_ text: String) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-config-\(UUID().uuidString).toml").path
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

@Suite struct AlertConfigTests {
    func write(_ text: String) -> String { writeConfigFile(text) }

    @Test func alertsTableSetsBellTitleAndNotify() throws {
        let defaults = try RingsideConfig.load(path: nil, environment: ["HOME": "/nonexistent-home"])
        #expect(defaults.alerts == AlertSettings(bell: true, title: true, notify: .auto))
        let config = try RingsideConfig.load(path: write("[alerts]\nbell = false\ntitle = true\nnotify = true\n"), environment: [:])
        #expect(config.alerts == AlertSettings(bell: false, title: true, notify: .on))
        let env = try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_ALERTS_NOTIFY": "auto", "RINGSIDE_ALERTS_TITLE": "false"])
        #expect(env.alerts == AlertSettings(bell: true, title: false, notify: .auto))
    }

    @Test func badAlertValuesNameTheLine() throws {
        let path = write("[alerts]\nbell = true\nnotify = \"sometimes\"\n")
        #expect { try RingsideConfig.load(path: path, environment: [:]) } throws: { error in
            "\(error)".contains("\(path):3:") && "\(error)".contains("alerts.notify")
        }
        let bell = write("[alerts]\nbell = 1\n")
        #expect { try RingsideConfig.load(path: bell, environment: [:]) } throws: { error in
            "\(error)".contains("\(bell):2:") && "\(error)".contains("true or false")
        }
    }
}

@Suite struct KeyMapConfigTests {
    func write(_ text: String) -> String { writeConfigFile(text) }

    @Test func keysTableRemapsCommands() throws {
        let config = try RingsideConfig.load(path: write("[keys]\nanswer = \"A\"\nquit = [\"q\", \"F10\"]\nhold_resume = \"Ctrl-O\"\n"), environment: [:])
        #expect(config.consoleKeys.command(for: .char("A")) == .answer)
        #expect(config.consoleKeys.command(for: .char("a")) == nil)
        #expect(config.consoleKeys.command(for: .function(10)) == .quit)
        #expect(config.consoleKeys.command(for: .ctrl("o")) == .holdResume)
        #expect(config.consoleKeys.duplicateKeys.isEmpty)
        let env = try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_KEYS_COPY_LINK": "L"])
        #expect(env.consoleKeys.command(for: .char("L")) == .copyLink)
    }

    @Test func theExamplesKeysSectionUncommentedLoadsAsTheStandardTable() throws {
        let example = RingsideConfig.example()
        guard let start = example.range(of: "[keys]") else {
            Issue.record("no [keys] in the example")
            return
        }
        let section = example[start.lowerBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.hasPrefix("[") || $0 == "[keys]" }
            .map { $0.hasPrefix("# ") && $0.contains(" = ") ? String($0.dropFirst(2)) : String($0) }
        let config = try RingsideConfig.load(path: write(section.joined(separator: "\n")), environment: [:])
        #expect(config.consoleKeys.bindings.map(\.keys) == KeyTable.standard.bindings.map(\.keys))
    }

    @Test func conflictsAndUnknownKeysAreErrorsWithFileAndLine() throws {
        let conflict = write("[keys]\nanswer = \"A\"\nanswer_again = \"x\"\n")
        #expect { try RingsideConfig.load(path: conflict, environment: [:]) } throws: { error in
            "\(error)".contains("\(conflict):3:") && "\(error)".contains("unknown setting keys.answer_again")
        }
        let taken = write("[agent]\nname = \"Sam\"\n[keys]\nanswer = \"h\"\n")
        #expect { try RingsideConfig.load(path: taken, environment: [:]) } throws: { error in
            "\(error)".contains("\(taken):4:") && "\(error)".contains("already Hold/Resume (keys.hold_resume)")
        }
        let bad = write("[keys]\nquit = \"Hyper-Q\"\n")
        #expect { try RingsideConfig.load(path: bad, environment: [:]) } throws: { error in
            "\(error)".contains("\(bad):2:") && "\(error)".contains("is not a key")
        }
        let reserved = write("[keys]\nquit = \"Ctrl-C\"\n")
        #expect { try RingsideConfig.load(path: reserved, environment: [:]) } throws: { error in
            "\(error)".contains("\(reserved):2:") && "\(error)".contains("reserved")
        }
    }
}

/// Issue 15: the `[layout]` table reaches the session's match settings; bad values name the choices.
@Suite struct LayoutConfigTests {
    func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "ringside-layout-\(UUID().uuidString).toml"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func layoutTableReachesTheSessionSettings() throws {
        let config = try RingsideConfig.load(path: write("""
            [layout]
            inbound_pop = "ring"
            outbound_pop = "answer"
            multiple_matches = "newest"
            no_match = "create"
            new_entities = ["Contact", "Lead"]
            """), environment: [:])
        let layout = config.sessionSettings.match.layout
        #expect(layout == SoftphoneLayout(inboundPop: .ring, outboundPop: .answer, multipleMatches: .newest, noMatch: .create,
                                          newEntities: [.contact, .lead]))
        #expect(config.printable().contains("no_match = \"create\""))
        let defaults = try RingsideConfig.load(path: nil, environment: ["HOME": "/x"])
        #expect(defaults.layout == SoftphoneLayout())
        let env = try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_LAYOUT_NO_MATCH": "nothing"])
        #expect(env.layout.noMatch == .nothing)
    }

    @Test(arguments: [
        ("[layout]\ninbound_pop = \"sometimes\"\n", ":2: layout.inbound_pop must be one of \"ring\", \"answer\", \"never\""),
        ("[layout]\n\nno_match = \"popup\"\n", ":3: layout.no_match must be one of \"new_form\", \"create\", \"nothing\""),
        ("[layout]\nnew_entities = [\"Case\"]\n", ":2: layout.new_entities: New can't create a Case"),
        ("[layout]\nnew_entities = [\"Lad\"]\n", ":2: layout.new_entities: unknown entity \"Lad\""),
    ])
    func badLayoutValuesNameTheLineAndTheChoices(text: String, expected: String) throws {
        let path = write(text)
        #expect { try RingsideConfig.load(path: path, environment: [:]) } throws: { error in
            "\(error)".contains(path + expected)
        }
    }
}

/// Issue 17 (seed 002): `[activity]` category lists reach the mapping the wallboard, the report and the agent-state
/// platform event use.
@Suite struct ActivityConfigTests {
    @Test func activityListsReachTheMappingAndTheStateEvent() throws {
        let defaults = try RingsideConfig.load(path: nil, environment: ["HOME": "/x"])
        #expect(defaults.activityMapping == ActivityCategoryMapping())
        let path = writeConfigFile("[activity]\nadmin = \"Admin; Wrap-up; Coaching\"\nnot_ready = \"Not ready; Break\"\n")
        let config = try RingsideConfig.load(path: path, environment: [:])
        #expect(config.activityMapping.categories(forActivity: "coaching") == [.admin])
        #expect(config.activityMapping.categories(forActivity: "Lunch").isEmpty)
        let coaching = AgentPresence(agentId: "a1", name: "Ada", state: .notReady, reason: "Coaching", since: Date(timeIntervalSince1970: 0))
        #expect(AgentStateEvent(presence: coaching, userId: "005", mapping: config.activityMapping).categories == [.admin])
        #expect(AgentStateEvent(presence: coaching, userId: "005").categories == [.notReady])
        let env = try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_ACTIVITY_READY": "Ready"])
        #expect(env.activityMapping.list(.ready) == "Ready")
        #expect(RingsideConfig.example().contains("[activity]"))
    }
}
