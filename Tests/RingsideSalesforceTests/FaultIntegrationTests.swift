import Foundation
import RingsideCore
import RingsideCurl
import SalesforceEmulator
import Testing
@testable import RingsideSalesforce

/// Injected faults through real libcurl: classification of what comes back.
@Suite("Faults against the emulator (libcurl)", .serialized)
struct FaultIntegrationTests {
    @Test func serviceUnavailableIsRetryable() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            _ = try await client.auth.login()
            await h.emulator.inject(EmulatorFault(action: .error, method: "POST", pathPrefix: "/services/data/v62.0/sobjects/Task",
                                                  status: 503))
            let error = await expectFailure { () async throws(SalesforceError) in try await client.createTask(SF.callRecord("c-503")) }
            #expect(error?.status == 503)
            #expect(error?.errorCode == "SERVER_UNAVAILABLE")
            #expect(error?.isRetryable == true)
            #expect(error?.isUncertain == false)
            #expect(await h.emulator.records(of: "Task").isEmpty)
            // The retry succeeds.
            #expect(try await client.createTask(SF.callRecord("c-503")).hasPrefix("00T"))
        }
    }

    @Test func unableToLockRowIsRetryable() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            _ = try await client.auth.login()
            await h.emulator.inject(EmulatorFault(action: .error, pathPrefix: "/services/data/v62.0/sobjects/Task", status: 400,
                                                  errorCode: "UNABLE_TO_LOCK_ROW"))
            let error = await expectFailure { () async throws(SalesforceError) in try await client.createTask(SF.callRecord("c-lock")) }
            #expect(error?.errorCode == "UNABLE_TO_LOCK_ROW")
            #expect(error?.isRetryable == true)
            #expect(error?.suggestedBackoff == .seconds(2))
        }
    }

    /// Without connection reuse, so libcurl cannot silently re-send on a fresh connection
    /// (see `libcurlResendsAfterADroppedReusedConnection`).
    static func freshConnectionClient(_ h: EmulatorHarness) throws -> SalesforceClient {
        let http = try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true, reuseConnections: false))
        return try h.client(.password, http: http)
    }

    @Test func droppedConnectionAfterProcessingIsUncertainAndFindTaskResolvesIt() async throws {
        try await withEmulator { h in
            let client = try Self.freshConnectionClient(h)
            _ = try await client.auth.login()
            await h.emulator.inject(EmulatorFault(action: .dropAfterProcessing, method: "POST",
                                                  pathPrefix: "/services/data/v62.0/sobjects/Task"))
            let error = await expectFailure { () async throws(SalesforceError) in try await client.createTask(SF.callRecord("c-drop")) }
            guard case .transport = error else { Issue.record("expected a transport error, got \(String(describing: error))"); return }
            #expect(error?.isUncertain == true)
            #expect(error?.description.contains("may") == true)
            // It was created: the outbox checks by CallObject before re-sending.
            let found = try await client.findTask(callObject: "c-drop")
            #expect(found != nil)
            #expect(await h.emulator.records(of: "Task").count == 1)
        }
    }

    @Test func droppedConnectionBeforeProcessingCreatesNothing() async throws {
        try await withEmulator { h in
            let client = try Self.freshConnectionClient(h)
            _ = try await client.auth.login()
            await h.emulator.inject(EmulatorFault(action: .dropBeforeProcessing, method: "POST",
                                                  pathPrefix: "/services/data/v62.0/sobjects/Task"))
            let error = await expectFailure { () async throws(SalesforceError) in try await client.createTask(SF.callRecord("c-drop0")) }
            guard case .transport = error else { Issue.record("expected a transport error, got \(String(describing: error))"); return }
            #expect(error?.isRetryable == true)
            #expect(try await client.findTask(callObject: "c-drop0") == nil)
        }
    }

    /// On a kept-alive connection that dies before any response byte, libcurl would re-send the request
    /// on a new connection — including a POST the server already processed. RingsideCurl gives
    /// non-idempotent requests a fresh connection, so the failure is reported as uncertain instead and
    /// exactly one Task exists.
    @Test func droppedConnectionAfterACreateIsUncertainNotResent() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            _ = try await client.auth.login()
            _ = try await client.createTask(SF.callRecord("warm-up"))  // the connection is now reused
            await h.emulator.inject(EmulatorFault(action: .dropAfterProcessing, method: "POST",
                                                  pathPrefix: "/services/data/v62.0/sobjects/Task"))
            let error = await expectFailure { () async throws(SalesforceError) in try await client.createTask(SF.callRecord("c-dup")) }
            #expect(error?.isUncertain == true)
            let posts = await h.dataRequests().filter { $0.method == "POST" && $0.path.contains("/sobjects/Task") }
            let copies = await h.emulator.records(of: "Task").filter { $0["CallObject"]?.stringValue == "c-dup" }.count
            #expect(posts.count == 2, "one warm-up and one create: no hidden re-send")
            #expect(copies == 1)
        }
    }

    @Test func malformedJSONIsATypedError() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            _ = try await client.auth.login()
            await h.emulator.inject(EmulatorFault(action: .malformedJSON, pathPrefix: "/services/data/v62.0/search"))
            let lookup = await expectFailure { () async throws(SalesforceError) in try await client.lookupTyped(SF.number("07814256404")) }
            guard case .malformedResponse(200, _, _, false) = lookup else { Issue.record("got \(String(describing: lookup))"); return }
            #expect(lookup?.isPermanent == true)

            await h.emulator.inject(EmulatorFault(action: .malformedJSON, method: "POST", pathPrefix: "/services/data/v62.0/sobjects/Task"))
            let create = await expectFailure { () async throws(SalesforceError) in try await client.createTask(SF.callRecord("c-garbled")) }
            #expect(create?.isUncertain == true, "the Task was created; the answer was unreadable")
            #expect(try await client.findTask(callObject: "c-garbled") != nil)

            await h.emulator.inject(EmulatorFault(action: .malformedJSON, pathPrefix: "/services/oauth2/token"))
            let login = await expectFailure { () async throws(SalesforceError) in try await client.auth.login() }
            guard case .malformedResponse = login else { Issue.record("got \(String(describing: login))"); return }
        }
    }

    @Test func slowServerTimesOutAsUncertain() async throws {
        try await withEmulator { h in
            var settings = h.settings(.password)
            settings.requestTimeouts = .init(connect: .seconds(2), total: .milliseconds(400))
            let client = try SalesforceClient(settings: settings, http: EmulatorHarness.curl())
            _ = try await client.auth.login()
            await h.emulator.inject(EmulatorFault(action: .delay, method: "POST", pathPrefix: "/services/data/v62.0/sobjects/Task",
                                                  delayMs: 1500))
            let error = await expectFailure { () async throws(SalesforceError) in try await client.createTask(SF.callRecord("c-slow")) }
            guard case .transport(.timedOut(_, true), _) = error else { Issue.record("got \(String(describing: error))"); return }
            #expect(error?.isUncertain == true)
            #expect(error?.isRetryable == true)
        }
    }
}
