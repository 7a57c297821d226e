import RingsideCore

/// `/` in the History view: which call records match the typed text (pure).
public enum HistoryFilter {
    /// Every word of `query` appears (case- and accent-insensitive) in the record's name, number,
    /// disposition or notes; a word of digits also matches the number with its punctuation ignored.
    public static func matches(_ record: CallRecord, _ query: String) -> Bool {
        let words = query.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else { return true }
        let fields = [record.remoteName ?? "", record.remote, record.e164 ?? "", record.disposition ?? "", record.notes,
                      record.who?.name ?? "", record.what?.name ?? ""]
        let text = fields.joined(separator: "\n")
        let digits = (record.remote + " " + (record.e164 ?? "")).filter(\.isNumber)
        return words.allSatisfy { word in
            if text.range(of: word, options: [.caseInsensitive, .diacriticInsensitive]) != nil { return true }
            let wordDigits = word.filter(\.isNumber)
            return !wordDigits.isEmpty && wordDigits.count == word.filter({ !"+-()./ ".contains($0) }).count && digits.contains(wordDigits)
        }
    }
}

extension ConsoleState {
    /// The history rows shown: the snapshot's records that match the History filter.
    public func historyRecords(_ snapshot: ConsoleSnapshot) -> [CallRecord] {
        let query = historyFilterEditor.text.trimmingCharacters(in: .whitespaces)
        return query.isEmpty ? snapshot.history : snapshot.history.filter { HistoryFilter.matches($0, query) }
    }
}
