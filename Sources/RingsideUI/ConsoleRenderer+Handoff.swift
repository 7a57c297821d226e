import Foundation
import RingsideCore

extension ConsoleRenderer {
    /// "↪ Transferred by Sam Agent · about Fred Bloggs (Contact) · notes…" with the Pop key to accept the record
    /// (issue 18). Everything in it came from another machine: sanitised, one line, cut to the width.
    func renderHandoff(_ call: CallMachine, _ screen: inout Screen, _ area: Rect, _ ctx: RenderContext) -> Int {
        guard let handoff = call.handoff, area.height > 0 else { return 0 }
        let x = area.x + 1
        var width = area.width - 2
        if let offered = call.offeredHandoffEntity {
            let label = " \(keyTable.keyLabel(for: .pop)) Accept \(offered.type.rawValue) "
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
