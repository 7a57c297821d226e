import RingsideCurl
import Testing
@testable import RingsideSalesforce

@Suite("SalesforceError classification")
struct ErrorClassificationTests {
    static let retryable = ["UNABLE_TO_LOCK_ROW", "REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE"]
    static let permanent = ["MALFORMED_ID", "INVALID_FIELD", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "FIELD_INTEGRITY_EXCEPTION",
                            "REQUIRED_FIELD_MISSING", "ENTITY_IS_DELETED", "STRING_TOO_LONG", "INVALID_CROSS_REFERENCE_KEY",
                            "SOME_FUTURE_CODE"]

    static func api(_ code: String, status: Int = 400) -> SalesforceError {
        .api(status: status, errors: [APIErrorDetail(errorCode: code, message: "m")], operation: "create Task")
    }

    @Test(arguments: retryable)
    func retryableCodes(_ code: String) {
        let e = Self.api(code, status: code == "REQUEST_LIMIT_EXCEEDED" ? 403 : 400)
        #expect(e.isRetryable)
        #expect(!e.isPermanent)
        #expect(!e.isUncertain)
        #expect(e.suggestedBackoff != nil)
    }

    @Test(arguments: permanent)
    func permanentCodes(_ code: String) {
        let e = Self.api(code)
        #expect(e.isPermanent)
        #expect(!e.isRetryable)
        #expect(e.suggestedBackoff == nil)
        #expect(!e.fix.isEmpty)
        #expect(e.description.contains(code))
    }

    @Test func requestLimitBacksOffLongerThanLocks() throws {
        let limit = try #require(Self.api("REQUEST_LIMIT_EXCEEDED", status: 403).suggestedBackoff)
        let lock = try #require(Self.api("UNABLE_TO_LOCK_ROW").suggestedBackoff)
        #expect(limit >= .seconds(60 * 10))
        #expect(lock < limit)
    }

    @Test func serverErrorsAreRetryable() {
        #expect(Self.api("UNKNOWN_EXCEPTION", status: 500).isRetryable)
        #expect(SalesforceError.unexpectedStatus(status: 502, operation: "x").isRetryable)
        #expect(SalesforceError.unexpectedStatus(status: 429, operation: "x").isRetryable)
        #expect(SalesforceError.unexpectedStatus(status: 404, operation: "x").isPermanent)
    }

    @Test func transportErrors() {
        let afterSend = SalesforceError.transport(.timedOut(phase: .transfer, afterSending: true), operation: "create Task")
        #expect(afterSend.isUncertain)
        #expect(afterSend.isRetryable)
        let reset = SalesforceError.transport(.connectionReset(afterSending: true), operation: "create Task")
        #expect(reset.isUncertain)
        let refused = SalesforceError.transport(.couldNotConnect(host: "x"), operation: "create Task")
        #expect(refused.isRetryable)
        #expect(!refused.isUncertain)
        let tls = SalesforceError.transport(.tls("bad cert"), operation: "create Task")
        #expect(tls.isPermanent)
    }

    @Test func authFailuresSayWhatToDo() {
        let password = SalesforceError.oauth(status: 400, error: "invalid_grant", description: "authentication failure", grant: "password")
        #expect(password.isAuthenticationFailure)
        #expect(password.isPermanent)
        #expect(password.description.contains("security token"))
        #expect(password.description.contains("changes when the password changes"))
        let refresh = SalesforceError.oauth(status: 400, error: "invalid_grant", description: "expired access/refresh token", grant: "refresh_token")
        #expect(refresh.description.contains("ringside login"))
        #expect(SalesforceError.notLoggedIn(reason: "no saved login").description.contains("ringside login"))
        #expect(Self.api("INVALID_SESSION_ID", status: 401).isAuthenticationFailure)
        #expect(Self.api("INVALID_SESSION_ID", status: 401).description.contains("ringside login"))
        #expect(SalesforceError.oauth(status: 400, error: "invalid_client", description: "invalid client credentials", grant: "password")
            .description.contains("Consumer Secret"))
        #expect(SalesforceError.deviceFlowExpired.description.contains("ringside login"))
    }
}
