import RingsideCore

/// The New form (issue 15): asks for the new record's name or company, pre-filled with the caller's number,
/// and which entity to create among those the layout allows. Drawn over the console; takes every key until closed.
public struct NewRecordForm: Hashable, Sendable {
    /// The call the record is for (the form closes if it goes away).
    public var call: CallObjectID
    public var choices: [EntityType]
    public var choice = 0
    public var text: String
    /// The text is still the pre-filled number: the first typed character replaces it.
    public var prefilled = true

    public static let limit = 80

    public init(call: CallObjectID, choices: [EntityType], number: String) {
        self.call = call
        self.choices = choices.isEmpty ? [.lead] : choices
        self.text = number
    }

    public var entity: EntityType { choices[choice % choices.count] }

    /// What the field asks for: a company for an Account, else a person's name.
    public var label: String { entity == .account ? "Company" : "Name" }

    /// Applies a key; returns the command to send when the agent confirms, and whether the form stays open.
    mutating func handle(_ key: Key) -> (command: AgentCommand?, open: Bool) {
        switch key {
        case .escape:
            return (nil, false)
        case .enter:
            let name = text.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return (nil, true) }
            return (.createNew(entity, name: name), false)
        case .tab, .down:
            choice = (choice + 1) % choices.count
        case .backTab, .up:
            choice = (choice + choices.count - 1) % choices.count
        case .backspace:
            if prefilled { text = "" } else if !text.isEmpty { text.removeLast() }
            prefilled = false
        case .ctrl("u"):
            text = ""
            prefilled = false
        case .char(let c):
            type(String(c))
        case .ctrl, .alt, .delete, .left, .right, .home, .end, .pageUp, .pageDown, .function, .wordLeft, .wordRight:
            break
        }
        return (nil, true)
    }

    /// Typed or pasted text: replaces the pre-filled number, then appends.
    mutating func type(_ typed: String) {
        let clean = String(typed.filter { !$0.isNewline && !($0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? false) })
        guard !clean.isEmpty else { return }
        if prefilled { text = "" }
        prefilled = false
        text = String((text + clean).prefix(Self.limit))
    }
}
