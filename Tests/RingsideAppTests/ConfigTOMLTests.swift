import Foundation
@testable import RingsideApp
import RingsideCore
import RingsideTestSupport
import Testing

/// Issue 19: the config is full TOML 1.0; `config --print` is TOML that round-trips; environment typos are errors.
@Suite struct ConfigTOMLTests {
    func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "ringside-config-\(UUID().uuidString).toml"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// The issue's reproductions: a CRLF file, an apostrophe inside a string list, a hex integer.
    @Test func aRealisticWindowsFileLoads() throws {
        let text = """
            # saved by Notepad\r
            [agent]\r
            name = "Sam O'Brien"\r
            internal_number_digits = 0x5\r
            not_ready_reasons = [\r
              "Lunch",   # a comment\r
              "Team's \\"huddle\\"",\r
            ]\r
            [wrapup]\r
            dispositions = ["Customer's fault", "Resolved"]\r
            seconds = 1_20\r\n
            """
        let config = try RingsideConfig.load(path: write(text), environment: [:])
        #expect(config.agentName == "Sam O'Brien")
        #expect(config.internalNumberDigits == 5)
        #expect(config.notReadyReasons == ["Lunch", "Team's \"huddle\""])
        #expect(config.dispositions == ["Customer's fault", "Resolved"])
        #expect(config.wrapUpSeconds == 120)
    }

    @Test func deepNestingIsAClearErrorNotACrash() throws {
        let path = write("[agent]\nnot_ready_reasons = " + String(repeating: "[", count: 5000) + "\n")
        #expect { try RingsideConfig.load(path: path, environment: [:]) } throws: { error in
            "\(error)".contains("\(path):2:") && "\(error)".contains("nested more than 100 deep")
        }
    }

    @Test func dottedKeysAndMultiLineStringsReachTheirSettings() throws {
        let config = try RingsideConfig.load(path: write("""
            agent.name = "Dotted"
            record.description = \"\"\"
            {notes} \\
               ({disposition})\"\"\"
            record.subject = '{direction} call {number}'
            """), environment: [:])
        #expect(config.agentName == "Dotted")
        #expect(config.recordDescription == "{notes} ({disposition})")
        #expect(config.recordSubject == "{direction} call {number}")
    }

    /// Maps are inline tables (or standard tables); the old "Key=Value" strings still work.
    @Test func mapsAcceptInlineTablesTablesAndTheOldStrings() throws {
        let inline = try RingsideConfig.load(path: write("""
            [salesforce]
            task_object = "Call_Record__c"
            client_id = "id"
            field_map = { Subject = "Subject__c", CallObject = "Call_Id__c" }
            [postcall]
            opportunity_fields = { NextStep = "{notes}", "Description" = "Call on {date}" }
            [postcall.case_fields]
            Comments = "{disposition}"
            """), environment: [:])
        let old = try RingsideConfig.load(path: write("""
            [salesforce]
            task_object = "Call_Record__c"
            client_id = "id"
            field_map = ["Subject=Subject__c", "CallObject=Call_Id__c"]
            [postcall]
            opportunity_fields = ["NextStep={notes}", "Description=Call on {date}"]
            case_fields = "Comments={disposition}"
            """), environment: [:])
        #expect(inline.postCallFields == old.postCallFields)
        #expect(inline.postCallFields[.opportunity] == ["NextStep": "{notes}", "Description": "Call on {date}"])
        #expect(inline.postCallFields[.caseRecord] == ["Comments": "{disposition}"])
        #expect(try SalesforceAgent.settings(from: inline).taskObject == SalesforceAgent.settings(from: old).taskObject)
        #expect(inline.fieldMap == ["Subject=Subject__c", "CallObject=Call_Id__c"])
    }

    /// `config --print` is TOML: it loads back to the same settings (ours) and `tomllib` reads the same values.
    @Test func printedConfigRoundTrips() async throws {
        let original = try RingsideConfig.load(path: write("""
            [agent]
            name = "Zoë \\"Z\\" O'Neil\\u001B[31m"
            not_ready_reasons = ["Break; long", "Tea\\\\Coffee", "é"]
            [crm]
            searched_entities = ["Lead", "Contact"]
            [salesforce]
            field_map = { Subject = "Subject__c", "Description" = "x__c" }
            client_secret = "top-secret-value"
            [postcall]
            opportunity_fields = { NextStep = "{notes}" }
            [wrapup]
            seconds = 0
            """), environment: ["HOME": "/x"])
        let printed = original.printable()
        #expect(!printed.contains("top-secret-value"))
        let reloaded = try RingsideConfig.load(path: write(printed), environment: ["HOME": "/x"])
        #expect(reloaded.agentName == original.agentName)
        #expect(reloaded.notReadyReasons == original.notReadyReasons)
        #expect(reloaded.fieldMap == original.fieldMap && reloaded.opportunityFields == original.opportunityFields)
        #expect(reloaded.searchedEntities == [.lead, .contact] && reloaded.wrapUpSeconds == 0)
        // Everything but the secret (printed only as a comment) comes back the same.
        let again = reloaded.printable().split(separator: "\n").dropFirst().filter { !$0.hasPrefix("# client_secret") }
        let before = printed.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("# client_secret") }
        #expect(Array(again) == Array(before), "\(zip(again, before).filter { $0 != $1 })")
        if RequiredComponent.runs(TOMLOracle.available) {
            let (checked, problems) = try await TOMLOracle.disagreements([printed, RingsideConfig.example()])
            #expect(checked == 2 && problems.isEmpty, "\(problems)")
        }
    }

    @Test func passwordsInsideURLsAreRedactedInPrintAndKnownAsSecrets() throws {
        let config = try RingsideConfig.load(path: nil, environment: [
            "HOME": "/x", "RINGSIDE_NOTIFY_SMTP_URL": "smtps://alerts:Pa55word-smtp@mail.example.com:465",
            "RINGSIDE_PRESENCE_BROKER": "mqtt://agent:Mq77-secret@127.0.0.1:1883",
        ])
        let printed = config.printable()
        #expect(!printed.contains("Pa55word-smtp") && !printed.contains("Mq77-secret"))
        #expect(printed.contains("smtp_url = \"smtps://alerts:[REDACTED]@mail.example.com:465\""))
        #expect(config.secrets.contains("Pa55word-smtp") && config.secrets.contains("Mq77-secret"))
    }

    @Test func aMisspeltVariableIsAnErrorNamingTheNearestSetting() throws {
        #expect { try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_AGENT_NAM": "Sam"]) } throws: { error in
            "\(error)".contains("RINGSIDE_AGENT_NAM is not a Ringside setting (did you mean RINGSIDE_AGENT_NAME?)")
        }
        #expect { try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_COMPLETELY_DIFFERENT": "1"]) } throws: { error in
            "\(error)".contains("RINGSIDE_COMPLETELY_DIFFERENT is not a Ringside setting") && !"\(error)".contains("did you mean")
        }
        // The documented variables that are not settings are fine.
        let config = try RingsideConfig.load(path: nil, environment: [
            "HOME": "/x", "RINGSIDE_BIN": "/bin/true", "RINGSIDE_RESOURCES": "/r", "RINGSIDE_MQTT_PASSWORD": "p", "RINGSIDE_AGENT_NAME": "Sam",
        ])
        #expect(config.agentName == "Sam")
    }

    /// Every `RINGSIDE_*` name the code reads is either a setting's variable or in the documented list.
    @Test func everyVariableTheCodeReadsIsKnown() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let known = Set(RingsideConfig.keys.map(\.environmentName)).union(RingsideConfig.otherEnvironmentVariables)
        var found = Set<String>()
        for folder in ["Sources", "Tests", "scripts", ".ci"] {
            let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path)
            while let file = enumerator?.nextObject() as? String {
                guard let text = try? String(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(file), encoding: .utf8) else { continue }
                for match in text.matches(of: /environment\[\"(RINGSIDE_[A-Z0-9_]+)\"\]|\$\{?(RINGSIDE_[A-Z0-9_]+)/) {
                    found.insert(String(match.output.1 ?? match.output.2!))
                }
            }
        }
        #expect(found.contains("RINGSIDE_BIN"))
        #expect(found.subtracting(known).isEmpty, "read but unknown: \(found.subtracting(known).sorted())")
    }
}
