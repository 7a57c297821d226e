import Foundation
import RingsideCore
import RingsideSalesforce

/// Why the configuration is unusable; names the file/line or variable and what to write instead.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension RingsideConfig {
    /// One setting: where it lives in the file, its environment variable, and how to apply a value.
    struct Key: Sendable {
        enum Kind: Sendable { case string, integer, list }
        var kind: Kind = .string
        var section: String
        var name: String
        var secret: Bool
        var help: String
        var apply: @Sendable (inout RingsideConfig, TOMLValue) throws(ConfigError) -> Void
        var show: @Sendable (RingsideConfig) -> String
        /// The value as TOML for `config --print` (nil: derived from `kind` and `show`).
        var toml: (@Sendable (RingsideConfig) -> TOMLValue)? = nil

        var path: String { "\(section).\(name)" }
        var environmentName: String {
            "RINGSIDE_" + "\(section)_\(name)".uppercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_")
        }
    }

    static func string(_ section: String, _ name: String, secret: Bool = false, _ help: String,
                       _ kp: WritableKeyPath<RingsideConfig, String> & Sendable,
                       check: (@Sendable (String) -> String?)? = nil) -> Key {
        Key(section: section, name: name, secret: secret, help: help, apply: { config, value throws(ConfigError) in
            guard case .string(let s) = value else { throw ConfigError(message: "\(section).\(name) must be a string in quotes, not \(value.typeName)") }
            if let problem = check?(s) { throw ConfigError(message: "\(section).\(name) = \"\(s)\": \(problem)") }
            config[keyPath: kp] = s
        }, show: { config in config[keyPath: kp] })
    }

    static func int(_ section: String, _ name: String, _ help: String, _ kp: WritableKeyPath<RingsideConfig, Int> & Sendable,
                    range: ClosedRange<Int>) -> Key {
        Key(kind: .integer, section: section, name: name, secret: false, help: help, apply: { config, value throws(ConfigError) in
            guard case .integer(let n) = value else { throw ConfigError(message: "\(section).\(name) must be a whole number, not \(value.typeName)") }
            guard range.contains(n) else { throw ConfigError(message: "\(section).\(name) = \(n) is out of range (\(range.lowerBound)…\(range.upperBound))") }
            config[keyPath: kp] = n
        }, show: { config in String(config[keyPath: kp]) })
    }

    static func list(_ section: String, _ name: String, _ help: String, _ kp: WritableKeyPath<RingsideConfig, [String]> & Sendable) -> Key {
        Key(kind: .list, section: section, name: name, secret: false, help: help, apply: { config, value throws(ConfigError) in
            config[keyPath: kp] = try strings(value, "\(section).\(name)")
        }, show: { config in config[keyPath: kp].joined(separator: "; ") },
        toml: { config in .array(config[keyPath: kp].map { .string($0) }) })
    }

    /// A map written as an inline table (`{ NextStep = "{notes}" }`) or, as before, a list of "Key=Value" strings;
    /// kept as "Key=Value" strings.
    static func map(_ section: String, _ name: String, _ help: String, _ kp: WritableKeyPath<RingsideConfig, [String]> & Sendable) -> Key {
        Key(kind: .list, section: section, name: name, secret: false, help: help, apply: { config, value throws(ConfigError) in
            config[keyPath: kp] = try fieldTemplates(value, "\(section).\(name)")
        }, show: { config in config[keyPath: kp].joined(separator: "; ") }, toml: { config in mapValue(config[keyPath: kp]) })
    }

    static func strings(_ value: TOMLValue, _ path: String) throws(ConfigError) -> [String] {
        switch value {
        case .array(let items):
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw ConfigError(message: "\(path) must be a list of strings") }
                out.append(s)
            }
            return out
        case .string(let s):
            // Seed 002 style: semicolon-separated lists.
            return s.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .integer, .float, .bool, .dateTime, .table:
            throw ConfigError(message: "\(path) must be a list of strings like [\"a\", \"b\"], not \(value.typeName)")
        }
    }

    static func fieldTemplates(_ value: TOMLValue, _ path: String) throws(ConfigError) -> [String] {
        let entries = try mapEntries(value, path)
        for entry in entries {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !parts[0].isEmpty else {
                throw ConfigError(message: "\(path): \"\(entry)\" must look like \"NextStep={notes}\" (a field API name, =, a value)")
            }
        }
        return entries
    }

    static func entities(_ value: TOMLValue, _ path: String) throws(ConfigError) -> [EntityType] {
        var out: [EntityType] = []
        for name in try strings(value, path) {
            guard let type = EntityType(name: name) else {
                throw ConfigError(message: "\(path): unknown entity \"\(name)\" (use \(EntityType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            out.append(type)
        }
        return out
    }

    /// Every setting Ringside understands.
    static let keys: [Key] = [
        string("agent", "name", "Your name as shown to supervisors", \.agentName),
        string("agent", "user_id", "CRM user id written as the Task OwnerId (Salesforce: filled in from userinfo)", \.agentUserId),
        string("agent", "time_zone", "IANA time zone for call subjects and the clock", \.timeZone,
               check: { TimeZone(identifier: $0) == nil ? "unknown time zone (use an IANA name such as Europe/London)" : nil }),
        Key(section: "agent", name: "region", secret: false, help: "Default region for national numbers (GB, US, JP, DE, …)",
            apply: { config, value throws(ConfigError) in
                guard case .string(let s) = value, let region = PhoneRegion(rawValue: s.uppercased()) else {
                    throw ConfigError(message: "agent.region must be one of \(PhoneRegion.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                config.region = region
            }, show: { $0.region.rawValue }),
        int("agent", "internal_number_digits", "Numbers with at most this many digits are internal", \.internalNumberDigits, range: 1...9),
        list("agent", "not_ready_reasons", "Reasons offered for Not ready", \.notReadyReasons),
        string("crm", "kind", "local (embedded directory) or salesforce", \.crm,
               check: { ["local", "salesforce"].contains($0) ? nil : "use \"local\" or \"salesforce\"" }),
        Key(kind: .list, section: "crm", name: "searched_entities", secret: false, help: "Entities searched by phone number",
            apply: { config, value throws(ConfigError) in config.searchedEntities = try entities(value, "crm.searched_entities") },
            show: { $0.searchedEntities.map(\.rawValue).joined(separator: "; ") }),
        Key(section: "crm", name: "default_new_entity", secret: false, help: "What New creates when nothing matches",
            apply: { config, value throws(ConfigError) in
                guard let first = try entities(value, "crm.default_new_entity").first else {
                    throw ConfigError(message: "crm.default_new_entity needs an entity name such as \"Lead\"")
                }
                config.defaultNewEntity = first
            }, show: { $0.defaultNewEntity.rawValue }),
        string("record", "subject", "Call record subject template, e.g. \"{direction} call {number} ({name})\"; empty: standard",
               \.recordSubject, check: { text in
                   do { _ = try TaskTemplate(text, key: "record.subject"); return nil } catch { return "\(error)" }
               }),
        string("record", "description", "Call record description template ({notes} {disposition} …); empty: standard",
               \.recordDescription, check: { text in
                   do { _ = try TaskTemplate(text, key: "record.description"); return nil } catch { return "\(error)" }
               }),
        string("crm", "person_accounts", "auto (the org's describe decides), true or false", \.personAccounts,
               check: { ["auto", "true", "false"].contains($0) ? nil : "use auto, true or false" }),
        string("salesforce", "login_url", "https://login.salesforce.com, https://test.salesforce.com or your My Domain", \.loginURL),
        string("salesforce", "instance_url", "Instance URL (filled in after login)", \.instanceURL),
        string("salesforce", "api_version", "REST API version, e.g. v62.0", \.apiVersion,
               check: { $0.range(of: #"^v\d{2}\.0$"#, options: .regularExpression) == nil ? "write it like v62.0" : nil }),
        string("salesforce", "auth", "device, password, client_credentials or refresh_token", \.auth,
               check: { ["device", "password", "client_credentials", "refresh_token"].contains($0) ? nil : "use device, password, client_credentials or refresh_token" }),
        string("salesforce", "client_id", "Connected app consumer key", \.clientId),
        string("salesforce", "client_secret", secret: true, "Connected app consumer secret", \.clientSecret),
        string("salesforce", "username", "API user name (password flow)", \.username),
        string("salesforce", "password", secret: true, "API user password (password flow)", \.password),
        string("salesforce", "security_token", secret: true, "API user security token (password flow)", \.securityToken),
        string("salesforce", "refresh_token", secret: true, "Refresh token for auth = refresh_token (else the one saved by login)", \.refreshToken),
        string("salesforce", "ca_bundle", "CA bundle file for TLS verification (default: system)", \.caBundle),
        string("salesforce", "task_object", "Task, or a custom object such as Call_Record__c", \.taskObject),
        map("salesforce", "field_map", "Custom-object field map, e.g. { Subject = \"Subject__c\", CallObject = \"Call_Id__c\" }", \.fieldMap),
        int("salesforce", "timeout_seconds", "Total timeout of one Salesforce request, seconds", \.salesforceTimeoutSeconds, range: 1...600),
        string("salesforce", "call_id_field", "External ID field for the call id, e.g. Ringside_Call_Id__c (empty: find one; none: never upsert)",
               \.callIdField, check: { value in
                   value.isEmpty || value == "none" || (value.first?.isLetter == true && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
                       ? nil : "use a field API name such as Ringside_Call_Id__c, \"\" or \"none\""
               }),
        string("phone", "link", "simulated, or baresip://HOST:PORT", \.phone,
               check: { $0 == "simulated" || $0.hasPrefix("baresip://") ? nil : "use \"simulated\" or baresip://127.0.0.1:4444" }),
        int("wrapup", "seconds", "Wrap-up saves by itself after this many seconds (0: no wrap-up)", \.wrapUpSeconds, range: 0...3600),
        list("wrapup", "dispositions", "Dispositions offered in wrap-up", \.dispositions),
        Key(section: "delivery", name: "schedule", secret: false, help: "immediate, daily or off",
            apply: { config, value throws(ConfigError) in
                guard case .string(let s) = value, let schedule = DeliverySchedule(rawValue: s) else {
                    throw ConfigError(message: "delivery.schedule must be \"immediate\", \"daily\" or \"off\"")
                }
                config.schedule = schedule
            }, show: { $0.schedule.rawValue }),
        int("delivery", "uncertain_wait_seconds",
            "Seconds Salesforce may go on with a request after Ringside gave up; an unanswered record is not checked before timeout + this",
            \.uncertainWaitSeconds, range: 0...3600),
        string("delivery", "daily_at", "Local time of the daily batch, HH:MM", \.dailyAt,
               check: { $0.range(of: #"^([01]\d|2[0-3]):[0-5]\d$"#, options: .regularExpression) == nil ? "write it like 23:00" : nil }),
        map("postcall", "opportunity_fields",
            "Fields set on the related Opportunity after a call, e.g. { NextStep = \"{notes}\" } ({date} {notes} {disposition} {subject} {duration})",
            \.opportunityFields),
        map("postcall", "case_fields", "Fields set on the related Case after a call, same placeholders", \.caseFields),
        string("sync", "daily_at", "Local time of the daily full phone-index sync, HH:MM (empty: none)", \.syncDailyAt,
               check: { $0.isEmpty || $0.range(of: #"^([01]\d|2[0-3]):[0-5]\d$"#, options: .regularExpression) != nil ? nil : "write it like 23:00, or \"\" for none" }),
        int("sync", "every_minutes", "Incremental phone-index sync every N minutes while the agent runs (0: off)", \.syncEveryMinutes, range: 0...1440),
        int("notify", "failing_minutes", "Warn when deliveries have failed for this many minutes", \.failingAlertMinutes, range: 1...10_080),
        string("notify", "smtp_url", "smtp://host:587 or smtps://host:465 for e-mail notifications (empty: off)", \.smtpURL),
        string("notify", "from", "Sender address of notification e-mails", \.mailFrom),
        list("notify", "to", "Recipients of notification e-mails", \.mailTo),
        string("notify", "username", "SMTP user name", \.smtpUsername),
        string("notify", "password", secret: true, "SMTP password", \.smtpPassword),
        string("data", "dir", "Folder for the database", \.dataDirectory),
        string("data", "directory_file", "Directory JSON seeded into the local directory (default: the demo directory)", \.directoryFile),
        string("presence", "broker", "mqtt://HOST:PORT for team presence (empty: off)", \.broker),
        string("presence", "tenant", "Topic prefix shared by your team", \.tenant),
        string("presence", "username", "MQTT user name", \.presenceUsername),
        string("presence", "password", secret: true, "MQTT password", \.presencePassword),
        string("presence", "ca_file", "CA file for mqtts:// brokers", \.presenceCAFile),
        int("presence", "service_level_seconds", "Queue figures: calls answered within this many seconds count towards the service level",
            \.serviceLevelSeconds, range: 1...3600),
        int("presence", "short_abandon_seconds", "Queue figures: callers who hang up within this many seconds are short abandons",
            \.shortAbandonSeconds, range: 0...3600),
        int("presence", "handoff_window_seconds",
            "Seconds a transfer context from another agent is kept for its call: it is offered to a call that rings in that time with its Call-ID or number",
            \.handoffWindowSeconds, range: 5...86_400),
        int("presence", "handoff_keep", "Transfer contexts from other agents kept at most (the oldest go first)", \.handoffKeep, range: 1...10_000),
        string("presence", "salesforce_event", "Salesforce platform event published on each agent state change, e.g. Agent_State__e (empty: off)",
               \.salesforceEvent, check: { $0.isEmpty || SalesforceClient.isPlatformEventName($0) ? nil : "write a platform event API name like Agent_State__e" }),
        choice("layout", "inbound_pop", "When an inbound call's record pops by itself: ring, answer or never (the Pop key only)",
               \.layout.inboundPop),
        choice("layout", "outbound_pop", "When an outbound call's record pops by itself: ring (dialling), answer or never",
               \.layout.outboundPop),
        choice("layout", "multiple_matches", "Several matches at the pop: list (the agent chooses) or newest (LastModifiedDate)",
               \.layout.multipleMatches),
        choice("layout", "no_match", "No match at the pop: new_form (the New key asks a name), create (at once) or nothing",
               \.layout.noMatch),
        Key(kind: .list, section: "layout", name: "new_entities", secret: false,
            help: "Entities New may create, e.g. [\"Contact\", \"Lead\"] (empty: crm.default_new_entity only)",
            apply: { config, value throws(ConfigError) in
                let types = try entities(value, "layout.new_entities")
                if let bad = types.first(where: { ![.contact, .lead, .account].contains($0) }) {
                    throw ConfigError(message: "layout.new_entities: New can't create a \(bad.rawValue) (use Contact, Lead or Account)")
                }
                config.layout.newEntities = types
            }, show: { $0.layout.newEntities.map(\.rawValue).joined(separator: "; ") }),
        string("log", "level", "Detail of $XDG_STATE_HOME/ringside/ringside.log: trace, debug (with HTTP traces), info, notice, warning, error or critical",
               \.logLevel, check: { RingsideLog.level($0) == nil ? "use trace, debug, info, notice, warning, error or critical" : nil }),
    ] + alertKeys + displayKeys + keyMapKeys + activityKeys

    /// A setting whose value is one of an enum's raw values (issue 15's `[layout]`).
    static func choice<T: RawRepresentable & CaseIterable & Sendable>(
        _ section: String, _ name: String, _ help: String, _ kp: WritableKeyPath<RingsideConfig, T> & Sendable
    ) -> Key where T.RawValue == String {
        Key(section: section, name: name, secret: false, help: help, apply: { config, value throws(ConfigError) in
            let allowed = T.allCases.map(\.rawValue)
            guard case .string(let s) = value, let choice = T(rawValue: s) else {
                throw ConfigError(message: "\(section).\(name) must be one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            config[keyPath: kp] = choice
        }, show: { config in config[keyPath: kp].rawValue })
    }
}
