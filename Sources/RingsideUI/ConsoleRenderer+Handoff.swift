import Foundation
import RingsideCore

extension ConsoleRenderer {
    /// "↪ Transferred by Sam Agent · about Fred Bloggs (Contact) · notes…" with the Pop key to accept the record
    /// (issue 18); on a narrow screen the key's label shortens to "p Accept" first. Everything in it came from another machine: sanitised, one line, cut to the width.
    func renderHandoff(_ call: CallMachine, _ screen: inout Screen, _ area: Rect, _ ctx: RenderContext) -> Int {
        guard let handoff = call.handoff, area.height > 0 else { return 0 }
        let x = area.x + 1
        var width = area.width - 2
        if let offered = call.offeredHandoffEntity {
            // The record type goes from the key's label before the line's own "about …" would be cut.
            let key = keyTable.keyLabel(for: .pop)
            let full = " \(key) Accept \(offered.type.rawValue) "
            let headline = DisplayWidth.of("↪ " + TextSanitizer.clean(handoff.headline))
            let cut = handoff.summary == handoff.headline ? 0 : 1  // room for the "…" when notes follow
            let label = headline + cut + 1 + DisplayWidth.of(full) <= width ? full : " \(key) Accept "
            let w = DisplayWidth.of(label)
            let bx = x + width - w
            let available = ctx.available(.pop)
            screen.put(label, x: bx, y: area.y, style: available ? CellStyle(role: .accent, bold: true, reverse: true) : CellStyle.accent.dimmed)
            screen.addRegion(Rect(x: bx, y: area.y, width: w, height: 1), .command(.pop))
            width -= w + 1
        } else if call.handoffAccepted {
            let mark = " ✓ accepted "
            width -= DisplayWidth.of(mark) + 1
            screen.put(mark, x: x + width + 1, y: area.y, style: .good)
        }
        screen.put(TextFitting.truncate("↪ " + TextSanitizer.clean(handoff.summary), to: max(0, width)), x: x, y: area.y,
                   style: CellStyle(role: .accent, bold: true), maxWidth: max(0, width))
        return 1
    }
}
