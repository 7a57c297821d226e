import Foundation
import RingsideCore

/// Draws the New form (issue 15) over the console.
extension ConsoleRenderer {
    func renderNewForm(_ form: NewRecordForm, _ screen: inout Screen, _ ctx: RenderContext) {
        let hint = (form.prefilled ? "Type to replace the number · " : "") + (form.choices.count > 1 ? "Tab changes the type · " : "")
            + "Enter creates · Esc cancels"
        let inner = box(width: max(64, DisplayWidth.of(hint) + 4), height: 8, title: "New \(form.entity.rawValue)", &screen)
        var x = inner.x
        for (index, type) in form.choices.enumerated() {
            let label = " \(type.rawValue) "
            screen.put(label, x: x, y: inner.y, style: index == form.choice ? CellStyle(role: .accent, bold: true, reverse: true) : .muted)
            x += DisplayWidth.of(label) + 1
        }
        let prompt = "\(form.label): "
        let fieldX = inner.x + DisplayWidth.of(prompt)
        let fieldWidth = inner.width - DisplayWidth.of(prompt)
        screen.put(prompt, x: inner.x, y: inner.y + 2, style: .bold)
        let shown = TextSanitizer.clean(form.text)
        screen.put(TextFitting.pad(shown, to: fieldWidth), x: fieldX, y: inner.y + 2,
                   style: form.prefilled ? CellStyle(underline: true).dimmed : CellStyle(underline: true))
        screen.cursor = (min(fieldX + DisplayWidth.of(shown), fieldX + fieldWidth - 1), inner.y + 2)
        screen.putWrapped(hint, x: inner.x, y: inner.y + 4, width: inner.width, maxLines: 2, style: .muted)
    }
}
