import RingsideApp
import RingsideSalesforce
import Testing

/// Issue 14: what `ringside doctor` says about the call-id External ID field.
@Suite struct CallIdFieldAdviceTests {
    @Test func withTheFieldDeliveriesAreUpserts() {
        let advice = CallIdFieldAdvice.text(object: "Task", field: "Ringside_Call_Id__c", setting: .detect, externalIds: ["Ringside_Call_Id__c"])
        #expect(advice.ok)
        #expect(advice.lines == ["call id field Task.Ringside_Call_Id__c (External ID): deliveries are upserts, so a re-send can never duplicate a call record"])
    }

    @Test func withoutItTheAdminGetsEveryStep() {
        let advice = CallIdFieldAdvice.text(object: "Task", field: nil, setting: .detect, externalIds: [])
        #expect(!advice.ok)
        let text = advice.lines.joined(separator: "\n")
        for step in ["Object Manager → Activity", "Data type: Text", "Field Label: Ringside Call Id", "Length: 64",
                     "Ringside_Call_Id__c", "\"Unique\"", "\"External ID\"", "Edit access", "salesforce.call_id_field"] {
            #expect(text.contains(step), "missing \(step)")
        }
    }

    @Test func aConfiguredFieldThatIsNotAnExternalIdIsNamed() {
        let advice = CallIdFieldAdvice.text(object: "Call_Record__c", field: nil, setting: .named("Call_Key__c"), externalIds: ["Other_Id__c"])
        #expect(!advice.ok)
        #expect(advice.lines[0].contains("Call_Record__c.Call_Key__c (salesforce.call_id_field) is not an External ID field"))
        #expect(advice.lines[0].contains("Other_Id__c"))
        #expect(advice.lines.contains { $0.contains("Object Manager → Call_Record__c") })
        #expect(CallIdFieldAdvice.text(object: "Task", field: nil, setting: .none, externalIds: []).ok)
    }
}
