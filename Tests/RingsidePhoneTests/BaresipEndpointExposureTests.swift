import RingsidePhone
import Testing

/// Issue 19: ctrl_tcp has no authentication; a link off this machine gets a warning from `doctor`.
@Suite struct BaresipEndpointExposureTests {
    @Test(arguments: ["baresip://127.0.0.1:4444", "baresip://localhost", "baresip://[::1]:4444", "baresip://127.0.1.1:5555"])
    func loopbackLinksAreQuiet(url: String) throws {
        #expect(try BaresipEndpoint(parsing: url).exposureWarning == nil)
    }

    @Test(arguments: ["baresip://192.168.1.20:4444", "baresip://pbx.example.com:4444", "baresip://[2001:db8::1]:4444", "baresip://0.0.0.0:4444"])
    func linksOffThisMachineAreWarnedAbout(url: String) throws {
        let warning = try #require(try BaresipEndpoint(parsing: url).exposureWarning)
        #expect(warning.contains("no password or encryption") && warning.contains("SSH tunnel"))
    }
}
