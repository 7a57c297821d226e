import Foundation
import RingsideCore

extension ConsoleRenderer {
    func renderCallPanel(_ screen: inout Screen, _ layout: ConsoleLayout, _ ctx: inout RenderContext) {
        let session = ctx.session
        let focused = ctx.state.focus == .call && ctx.state.modal == nil
        var header = "Call"
        if session.calls.count > 1, let call = session.focusedCall, let index = session.calls.firstIndex(where: { $0.id == call.id }) {
            header = "Call \(index + 1) of \(session.calls.count)"
            let others = session.calls.filter { $0.id != call.id }.map { other in
                "\(NumberDisplay.formatted(other.number, raw: other.remote, session)) \(other.state.label)"
            }
            header += " · also: " + others.joined(separator: ", ")
        }
        screen.hline(y: layout.callHeader, x: 0, width: screen.width, title: header,
                     titleStyle: focused ? CellStyle(role: .accent, bold: true, reverse: true) : .title)
        screen.addRegion(Rect(x: 0, y: layout.callHeader, width: screen.width, height: 1), .focus(.call))
        let area = layout.call
        guard let call = session.focusedCall else {
            renderIdle(&screen, area, ctx)
            return
        }
        renderCallLine(call, &screen, area, ctx)
        if call.state == .wrapUp || call.state == .ended {
            renderWrapUp(call, &screen, Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1), &ctx, focused: focused)
            return
        }
        let editingNotes = ctx.state.editing == .notes
        let showNotes = editingNotes || !ctx.state.notes.isEmpty
        let handoffLines = call.handoff == nil ? 0 : renderHandoff(call, &screen, Rect(x: area.x, y: area.y + 1, width: area.width, height: 1), ctx)
        let matchHeight = area.height - 1 - handoffLines - (showNotes ? 1 : 0)
        renderMatch(call, &screen, Rect(x: area.x, y: area.y + 1 + handoffLines, width: area.width, height: matchHeight), ctx, focused: focused)
        if showNotes { renderLiveNotes(&screen, Rect(x: area.x, y: area.y + area.height - 1, width: area.width, height: 1), ctx) }
    }

    /// Notes typed during the call (they carry into wrap-up): one line, the end kept visible.
    private func renderLiveNotes(_ screen: inout Screen, _ area: Rect, _ ctx: RenderContext) {
        let editing = ctx.state.editing == .notes
        let label = editing ? "Notes (Enter done): " : "Notes: "
        let x = area.x + 1
        let width = area.width - 2 - DisplayWidth.of(label)
        screen.put(label, x: x, y: area.y, style: editing ? CellStyle(role: .accent, bold: true) : .muted)
        let window = ctx.state.notesEditor.window(width: width)
        screen.put(window.text, x: x + DisplayWidth.of(label), y: area.y, maxWidth: width)
        if editing { screen.cursor = (x + DisplayWidth.of(label) + min(window.cursorColumn, width - 1), area.y) }
        screen.addRegion(Rect(x: area.x, y: area.y, width: area.width, height: 1), .command(.notes))
    }

    private func renderIdle(_ screen: inout Screen, _ area: Rect, _ ctx: RenderContext) {
        let ready: String
        switch ctx.session.availability {
        case .ready: ready = "You are Ready for calls."
        case .notReady(let reason): ready = "You are Not ready (\(reason.isEmpty ? "no reason" : reason)); press r to go Ready."
        }
        // Each line wraps (whole words) rather than losing its end at 80 columns.
        let x = area.x + 1
        let width = area.width - 2
        let bottom = area.y + area.height
        var y = area.y + 1
        y += screen.putWrapped("No call in progress. \(ready)", x: x, y: y, width: width, maxLines: max(0, bottom - y), style: .bold) + 1
        y += screen.putWrapped("d: type a number to dial · /: filter the number list · Enter on an entry dials it", x: x, y: y, width: width,
                               maxLines: max(0, bottom - y), style: .muted)
        y += screen.putWrapped("?: every key · Tab: next pane · mouse: click buttons and list rows", x: x, y: y, width: width,
                               maxLines: max(0, bottom - y), style: .muted) + 1
        if ctx.snapshot.isDemo {
            let demo = "Demo: 1 one match · 2 several matches · 3 no match · 4 internal · i random caller"
            // The blank line before it goes first when the lines don't all fit.
            if y + Self.wrap(demo, width: width).count > bottom { y -= 1 }
            screen.putWrapped(demo, x: x, y: y, width: width, maxLines: max(0, bottom - y), style: CellStyle(role: .accent))
        }
    }

    /// Direction, number (formatted and E.164), state and timer.
    private func renderCallLine(_ call: CallMachine, _ screen: inout Screen, _ area: Rect, _ ctx: RenderContext) {
        let session = ctx.session
        let direction: String
        if call.isInternal {
            direction = call.direction == .inbound ? "← Internal" : "→ Internal"
        } else {
            direction = call.direction == .inbound ? "← Inbound" : "→ Outbound"
        }
        var number = NumberDisplay.formatted(call.number, raw: call.remote, session)
        if let e164 = call.number?.e164, e164 != number, !call.isInternal { number += "  \(e164)" }
        let (stateText, stateStyle) = stateLabel(call, ctx)
        let stateWidth = DisplayWidth.of(stateText)
        let y = area.y
        var x = area.x + 1
        x += screen.put(direction, x: x, y: y, style: .bold)
        x += 2
        screen.put(number, x: x, y: y, style: CellStyle(role: .accent, bold: true), maxWidth: area.x + area.width - stateWidth - 2 - x)
        screen.put(stateText, x: area.x + area.width - stateWidth - 1, y: y, style: stateStyle)
    }

    func stateLabel(_ call: CallMachine, _ ctx: RenderContext) -> (String, CellStyle) {
        let now = ctx.now
        let sinceStart = Int(now.timeIntervalSince(call.startedAt))
        let talk = NumberDisplay.duration(call.durationSeconds(at: now))
        switch call.state {
        case .idle: return ("Starting", .muted)
        case .ringing: return ("Ringing \(NumberDisplay.duration(sinceStart))", CellStyle(role: .warning, bold: true, reverse: true))
        case .dialing: return ("Dialling \(NumberDisplay.duration(sinceStart))", .warning)
        case .remoteRinging: return ("Ringing far end \(NumberDisplay.duration(sinceStart))", .warning)
        case .connected: return ("Connected \(talk)", CellStyle(role: .good, bold: true))
        case .held: return ("On hold \(NumberDisplay.duration(call.totalHoldSeconds(at: now))) · total \(talk)", .warning)
        case .transferring(let to): return ("Transferring to \(TextSanitizer.clean(to)) \(talk)", .warning)
        case .ended: return ("Ended \(talk) · saving", .muted)
        case .wrapUp: return ("Wrap-up · talked \(talk)", .warning)
        case .done: return ("Done", .muted)
        }
    }

    /// The match line, the association line and the body: pop detail, search pick list or New.
    private func renderMatch(_ call: CallMachine, _ screen: inout Screen, _ area: Rect, _ ctx: RenderContext, focused: Bool) {
        let x = area.x + 1
        let width = area.width - 2
        var y = area.y
        // Line 1: what the lookup found, with the one action it offers on the right.
        var action: (ConsoleCommand, String)?
        switch call.match {
        case .notStarted:
            screen.put("Not looked up", x: x, y: y, style: .muted, maxWidth: width)
        case .skippedInternal:
            screen.put("Internal extension: not looked up, never associated with a record", x: x, y: y, style: .muted, maxWidth: width)
        case .searching:
            screen.put("Looking up the number…", x: x, y: y, style: .muted, maxWidth: width)
        case .failed(let why):
            screen.put("Lookup failed: \(why)", x: x, y: y, style: .error, maxWidth: width)
        case .finished(.pop(let record), _):
            action = (.pop, "Pop")
            var line = "\(record.name) · \(record.type.rawValue)"
            if let account = record.accountName, !account.isEmpty, record.type != .account { line += " · \(account)" }
            let written = screen.put(line, x: x, y: y, style: .bold, maxWidth: width - 12)
            if let url = webLink(record, ctx) {
                screen.addLink(x: x, y: y, width: min(written, DisplayWidth.of(TextSanitizer.clean(record.name))), url: url)
            }
        case .finished(.search(let records), _):
            action = (.search, "Search")
            screen.put("\(records.count) matching records: choose the caller", x: x, y: y, style: .bold, maxWidth: width - 12)
        case .finished(.new(let type), _):
            action = (.new, "New \(type.rawValue)")
            screen.put("No match for this number", x: x, y: y, style: .bold, maxWidth: width - 14)
        }
        if call.offeredHandoffEntity != nil { action = nil } // the handoff line's Accept takes the Pop key
        if let (command, label) = action {
            let key = keyTable.keyLabel(for: command)
            let text = " \(key) \(label) "
            let w = DisplayWidth.of(text)
            let bx = x + width - w
            let available = ctx.available(command)
            screen.put(text, x: bx, y: y, style: available ? CellStyle(role: .accent, bold: true, reverse: true) : CellStyle.accent.dimmed)
            screen.addRegion(Rect(x: bx, y: y, width: w, height: 1), .command(command))
        }
        y += 1
        // Line 2: the record this call will be logged against, and by which rule.
        let association = call.resolvedAssociation
        let target = association.primary.map { "\($0.name.isEmpty ? $0.id : $0.name) (\($0.type.rawValue))" } ?? "no record"
        let related = call.association.relatedTo.map { " · related to \($0.type.rawValue) \($0.name.isEmpty ? $0.id : $0.name)" } ?? ""
        screen.put("Logged against: ", x: x, y: y, style: .muted)
        screen.put(TextSanitizer.clean("\(target)\(related) · \(association.rule)"), x: x + 16, y: y,
                   style: association.primary == nil ? .muted : .good, maxWidth: width - 16)
        y += 1
        let body = Rect(x: area.x, y: y, width: area.width, height: area.y + area.height - y)
        switch call.match {
        case .finished(.pop(let record), _):
            if call.association.interactions.contains(where: { $0.entity.id == record.id }) || call.popped?.id == record.id {
                renderDetail(record, &screen, body, ctx)
            } else if call.offeredHandoffEntity != nil {
                screen.putWrapped("Press p to accept the transferred record above; p again then opens this match.", x: x, y: y + 1,
                                  width: width, maxLines: max(1, body.y + body.height - y - 1), style: .muted)
            } else {
                screen.putWrapped("Press p (or click Pop) to open this record; that also associates the call with it.", x: x, y: y + 1,
                                  width: width, maxLines: max(1, body.y + body.height - y - 1), style: .muted)
            }
        case .finished(.search, _):
            renderSearchList(call, &screen, body, ctx, focused: focused)
        case .finished(.new(let type), _):
            if let created = call.createdEntity {
                screen.put("Created \(created.type.rawValue): \(created.name)", x: x, y: y + 1, style: .good, maxWidth: width)
                // The "Logged against" line above is the truth; this only says where the record came from.
                screen.put("Id \(created.id)", x: x, y: y + 2, style: .muted, maxWidth: width)
            } else if !call.isInternal {
                screen.putWrapped("Press n (or click New) to create a \(type.rawValue) with this number; it becomes the call's record.",
                                  x: x, y: y + 1, width: width, maxLines: max(1, body.y + body.height - y - 1), style: .muted)
            }
        case .notStarted, .skippedInternal, .searching, .failed:
            break
        }
    }

    /// The pop detail pane: name, type, account, phone fields, owner, last modified, URL. The name and the
    /// link are OSC 8 hyperlinks when the record has a web page.
    private func renderDetail(_ record: CRMRecord, _ screen: inout Screen, _ area: Rect, _ ctx: RenderContext) {
        let x = area.x + 1
        let width = area.width - 2
        let url = webLink(record, ctx)
        var rows: [(String, String)] = [("Name", "\(record.name) (\(record.type.rawValue)\(record.isPersonAccount ? ", person account" : ""))")]
        if let account = record.accountName ?? record.accountId { rows.append(("Account", account)) }
        let phones = record.phones.map { "\($0.field) \(NumberDisplay.formatted(raw: $0.raw, ctx.session))" }.joined(separator: " · ")
        if !phones.isEmpty { rows.append(("Phones", phones)) }
        rows.append(("Owner", "\(record.owner ?? "—") · modified \(ctx.clock.dateTime(record.lastModified))"))
        let linkText = record.url ?? url ?? "\(ctx.snapshot.crmLabel) record \(record.id)"
        rows.append(("Link", linkText))
        for (index, (label, value)) in rows.prefix(area.height).enumerated() {
            let y = area.y + index
            screen.put(label, x: x, y: y, style: .muted)
            let written = screen.put(value, x: x + 9, y: y, style: index == 0 ? .bold : .normal, maxWidth: width - 9)
            guard let url else { continue }
            if index == 0 {
                screen.addLink(x: x + 9, y: y, width: min(written, DisplayWidth.of(TextSanitizer.clean(record.name))), url: url)
            } else if label == "Link", linkText == url {
                screen.addLink(x: x + 9, y: y, width: written, url: url)
            }
        }
    }

    /// The web page of `record` for its hyperlinks: its own URL when safe, else (Salesforce) the Lightning page.
    func webLink(_ record: CRMRecord, _ ctx: RenderContext) -> String? {
        if let own = record.url.flatMap(Hyperlink.safeURL) { return own }
        return ctx.snapshot.recordLinkBase.flatMap { RecordLink.lightning(base: $0, record.ref) }
    }

    /// The Search pick list, newest first; the chosen record is ticked.
    private func renderSearchList(_ call: CallMachine, _ screen: inout Screen, _ area: Rect, _ ctx: RenderContext, focused: Bool) {
        let candidates = call.searchCandidates
        let chosen = call.chosenEntity?.id
        let x = area.x + 1
        let width = area.width - 2
        let visible = max(1, area.height)
        let selection = ctx.state.searchSelection
        let top = max(0, min(selection - visible + 1, candidates.count - visible))
        for row in 0..<visible {
            let index = top + row
            guard candidates.indices.contains(index) else { break }
            let record = candidates[index]
            let mark = record.id == chosen ? "✓" : " "
            let pointer = index == selection ? "▸" : " "
            let modified = ctx.clock.dateTime(record.lastModified)
            let typeColumn = TextFitting.pad(record.type.rawValue, to: 8)
            let account = record.accountName ?? ""
            let nameWidth = max(10, width - 4 - 8 - 1 - 17 - 1 - 20)
            let line = "\(pointer)\(mark) \(TextFitting.pad(record.name, to: nameWidth)) \(typeColumn) \(TextFitting.pad(account, to: 20)) \(modified)"
            let style: CellStyle = index == selection && focused ? .selected : (record.id == chosen ? .good : .normal)
            screen.put(TextFitting.pad(line, to: width), x: x, y: area.y + row, style: style, maxWidth: width)
            screen.addRegion(Rect(x: x, y: area.y + row, width: width, height: 1), .row(.searchMatches, index))
        }
    }
}
