/// SOSL matching.
///
/// Emulator choices (not Salesforce truth):
/// * PHONE fields compare digits only. A record matches when a phone field's digits equal the
///   word's digits, or the two share their last 7 or more digits. This deliberately returns
///   near-matches (e.g. a different country code) so clients must post-filter.
/// * NAME/EMAIL/ALL fields match case-insensitively on tokens split at non-alphanumerics,
///   with `*`/`?` wildcards; phrases match as substrings.
enum SOSLMatcher {
    static func digits(_ s: String) -> [UInt8] {
        s.utf8.filter { $0 >= 48 && $0 <= 57 }
    }

    static func commonSuffixLength(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var n = 0
        while n < a.count, n < b.count, a[a.count - 1 - n] == b[b.count - 1 - n] { n += 1 }
        return n
    }

    static func phoneMatches(_ word: SearchWord, _ value: String) -> Bool {
        let field = digits(value)
        guard !field.isEmpty else { return false }
        let term = digits(word.literalText)
        guard !term.isEmpty else { return false }
        if word.pieces.last == .anyRun {
            return field.starts(with: term) && term.count >= 2
        }
        return field == term || commonSuffixLength(field, term) >= 7
    }

    static func tokens(_ s: String) -> [String] {
        s.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    static func textMatches(_ word: SearchWord, _ value: String) -> Bool {
        if word.isPhrase || word.literalText.contains(" ") {
            return value.lowercased().contains(word.literalText.lowercased())
        }
        let pieces = word.pieces.map { p -> SearchWord.Piece in
            if case .char(let c) = p { return .char(Character(c.lowercased())) }
            return p
        }
        let wordTokens = tokens(word.literalText)
        if !word.hasWildcard, wordTokens.count > 1 {
            // e.g. "o'brien" escaped: compare token sequence as a phrase
            return tokens(value).joined(separator: " ").contains(wordTokens.joined(separator: " "))
        }
        return tokens(value).contains { glob(pieces, Array($0)) }
    }

    static func glob(_ pieces: [SearchWord.Piece], _ text: [Character]) -> Bool {
        func m(_ p: Int, _ i: Int) -> Bool {
            if p == pieces.count { return i == text.count }
            switch pieces[p] {
            case .anyRun: return m(p + 1, i) || (i < text.count && m(p, i + 1))
            case .anyOne: return i < text.count && m(p + 1, i + 1)
            case .char(let c): return i < text.count && text[i] == c && m(p + 1, i + 1)
            }
        }
        return m(0, 0)
    }

    static let nameFields: Set<String> = ["Name", "FirstName", "LastName", "Company", "CaseNumber", "Subject"]

    /// Fields searched for a scope, with whether each is a phone field.
    static func searchFields(_ table: Table, scope: SearchScope) -> [(name: String, phone: Bool)] {
        table.def.fields.compactMap { f in
            switch scope {
            case .phone: return f.type.isPhone ? (f.name, true) : nil
            case .name: return nameFields.contains(f.name) ? (f.name, false) : nil
            case .email: return f.type == .email ? (f.name, false) : nil
            case .all, .sidebar: return f.type.isText ? (f.name, f.type.isPhone) : nil
            }
        }
    }

    /// In PHONE scope, the words of a group form one number (`+44 7700 900123`).
    static func phoneTerm(_ term: SearchTerm) -> SearchTerm {
        SearchTerm(groups: term.groups.map { g in
            var pieces = g.words.flatMap { $0.pieces.filter { if case .char = $0 { return true }; return false } }
            if g.words.last?.pieces.last == .anyRun { pieces.append(.anyRun) }
            return SearchTerm.Group(words: [SearchWord(pieces: pieces)], excluded: g.excluded)
        })
    }

    static func matches(_ record: EmulatorRecord, term: SearchTerm, fields: [(name: String, phone: Bool)]) -> Bool {
        func hit(_ w: SearchWord) -> Bool {
            fields.contains { f in
                guard let v = record[f.name]?.stringValue else { return false }
                return f.phone ? (phoneMatches(w, v) || (!digits(w.literalText).isEmpty ? false : textMatches(w, v)))
                    : textMatches(w, v)
            }
        }
        return term.groups.contains { g in g.words.allSatisfy(hit) && !g.excluded.contains(where: hit) }
    }
}
