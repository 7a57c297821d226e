import Foundation
import RingsideCore

/// Fills post-call field templates: `{date}` (the call's ActivityDate), `{notes}`, `{disposition}`, `{subject}`, `{duration}`.
public enum PostCallTemplate {
    public static func fill(_ template: String, with record: CallRecord) -> String {
        template
            .replacingOccurrences(of: "{date}", with: record.activityDate)
            .replacingOccurrences(of: "{notes}", with: record.notes)
            .replacingOccurrences(of: "{disposition}", with: record.disposition ?? "")
            .replacingOccurrences(of: "{subject}", with: record.subject)
            .replacingOccurrences(of: "{duration}", with: String(record.durationSeconds))
    }
}
