import RingsideSalesforce

/// What `ringside doctor` says about the External ID field for call ids: whether deliveries are upserts, and if
/// not, exactly how a Salesforce admin adds the field.
public enum CallIdFieldAdvice {
    /// One status line (and, without the field, the admin's steps). `field`: the field deliveries use, if any;
    /// `externalIds`: the object's External ID fields (for a configured name that is not one of them).
    public static func text(object: String, field: String?, setting: CallIdField, externalIds: [String]) -> (ok: Bool, lines: [String]) {
        if let field {
            return (true, ["call id field \(object).\(field) (External ID): deliveries are upserts, so a re-send can never duplicate a call record"])
        }
        var lines: [String]
        switch setting {
        case .none:
            return (true, ["call id field: off (salesforce.call_id_field = \"none\"): records are created, and checked by CallObject before any re-send"])
        case .named(let name):
            lines = ["call id field \(object).\(name) (salesforce.call_id_field) is not an External ID field of \(object)"
                     + (externalIds.isEmpty ? "" : " (External ID fields: \(externalIds.joined(separator: ", ")))")]
        case .detect:
            lines = ["no External ID field for the call id on \(object): records are created and, after a failure that may have saved one, checked by CallObject before re-sending (a small risk of duplicates remains; see the README's Delivery section)"]
        }
        lines += [
            "To make every delivery an upsert (no duplicates by construction), a Salesforce admin adds the field:",
            object == "Task"
                ? "  Setup → Object Manager → Activity → Fields & Relationships → New (Task fields are Activity custom fields)"
                : "  Setup → Object Manager → \(object) → Fields & Relationships → New",
            "  Data type: Text; Field Label: Ringside Call Id; Length: 64; Field Name (API name): Ringside_Call_Id (becomes \(CallIdField.suggestedName))",
            "  Tick \"Unique\" (treat \"ABC\" and \"abc\" as different values) and \"External ID\"",
            "  Give the Ringside integration user's profile or permission set Edit access to it (field-level security)",
            "Ringside finds it by itself (or set salesforce.call_id_field = \"\(CallIdField.suggestedName)\"); run `ringside doctor` again to check.",
        ]
        return (false, lines)
    }
}
