import Foundation
import RingsideCore

/// Maps baresip's CALL_CLOSED `param` text to a `CallEndReason`.
///
/// Texts observed from baresip 1.0.0 and their mapping:
///
/// | param                         | reason          | when                                              |
/// |-------------------------------|-----------------|---------------------------------------------------|
/// | `Connection reset by user`    | `.localHangUp`  | we ran `hangup`                                   |
/// | `Connection reset by peer`    | `.remoteHangUp` | remote BYE/CANCEL                                 |
/// | `486 …` / `600 …`             | `.busy`         | callee busy or rejected (baresip `hangup` = 486)  |
/// | `603 …`                       | `.declined`     | callee declined                                   |
/// | `408 …`, `480 …`, `487 …`     | `.noAnswer`     | request timeout / unavailable / cancelled remotely|
/// | `Local timeout`               | `.noAnswer`     | our incoming call was not answered in time        |
/// | `Connection timed out`, `… timeout` | `.noAnswer` | no SIP answer at all                            |
/// | `Call transfered` (sic)       | `.transferred`  | our blind transfer succeeded                      |
/// | anything else (`404 Not Found`, …) | `.failed(text)` |                                            |
public enum BaresipCloseReason {
    public static func map(_ param: String?) -> CallEndReason {
        let text = (param ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = text.lowercased()
        if lower == "connection reset by user" { return .localHangUp }
        if lower == "connection reset by peer" { return .remoteHangUp }
        if lower.hasPrefix("call transfer") { return .transferred }
        if let code = sipStatus(text) {
            switch code {
            case 486, 600: return .busy
            case 603: return .declined
            case 408, 480, 487: return .noAnswer
            default: return .failed(text)
            }
        }
        if lower.contains("timeout") || lower.contains("timed out") { return .noAnswer }
        return .failed(text.isEmpty ? "call closed without a reason" : text)
    }

    /// The leading 3-digit SIP status of a text such as `486 Busy Here`.
    static func sipStatus(_ text: String) -> Int? {
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        guard digits.count == 3, let code = Int(digits), (300...699).contains(code) else { return nil }
        let rest = text.dropFirst(3)
        guard rest.isEmpty || rest.first == " " else { return nil }
        return code
    }
}
