import Foundation

/// The plan of a demo room: where its desks stand, and the walls, windows, door and furniture drawn around them.
/// The image never shows a desk: the room page and the desk editor draw desks as markers at their positions, so a desk
/// painted into the image would be labelled twice and leave a ghost behind when it is moved.
struct DemoRoomLayout: Sendable {
    /// The image's size in SVG units; desk positions are fractions of it.
    static let width = 1000.0
    static let height = 700.0
    /// Room around a desk position kept free of furniture, in SVG units: about half a desk marker at 100 % zoom.
    static let clearance = (x: 60.0, y: 30.0)

    struct Desk: Sendable {
        /// Fractions 0…1 of the image.
        let x: Double
        let y: Double
        let orientation: String
    }

    /// A piece of furniture or fitting, in SVG units, labelled inside its outline.
    struct Item: Sendable {
        enum Kind: Sendable { case table, kitchen, plant, seating, storage, whiteboard, booth }
        let kind: Kind
        let x: Double
        let y: Double
        let width: Double
        let height: Double
        let label: String?

        /// Whether a marker at this point (SVG units) would lie on this item.
        func covers(x px: Double, y py: Double) -> Bool {
            px + DemoRoomLayout.clearance.x > x && px - DemoRoomLayout.clearance.x < x + width
                && py + DemoRoomLayout.clearance.y > y && py - DemoRoomLayout.clearance.y < y + height
        }
    }

    let desks: [Desk]
    let items: [Item]
    /// Where the door opens in the right-hand wall (SVG units from the top).
    let doorTop: Double

    /// Rows of desks (SVG units), facing each other in pairs of rows.
    private static func benches(xs: [Double], rows: [Double]) -> [Desk] {
        rows.enumerated().flatMap { index, y in
            xs.map { Desk(x: $0 / width, y: y / height, orientation: index % 2 == 0 ? "bottom" : "top") }
        }
    }

    /// An open-plan office: two benches of six, a meeting table, a lounge and a kitchen.
    static let openPlan = DemoRoomLayout(
        desks: benches(xs: [140, 300, 460], rows: [190, 290, 440, 540]),
        items: [
            Item(kind: .table, x: 640, y: 90, width: 260, height: 160, label: "Meeting table"),
            Item(kind: .seating, x: 680, y: 320, width: 200, height: 70, label: "Sofa"),
            Item(kind: .kitchen, x: 620, y: 570, width: 300, height: 90, label: "Kitchen"),
            Item(kind: .plant, x: 40, y: 40, width: 56, height: 56, label: nil),
            Item(kind: .plant, x: 40, y: 604, width: 56, height: 56, label: nil),
            Item(kind: .plant, x: 560, y: 330, width: 50, height: 50, label: nil),
        ],
        doorTop: 440)

    /// A quiet room: two rows of single desks facing the windows, a phone booth, a reading corner and shelves.
    static let quietRoom = DemoRoomLayout(
        desks: [150, 320, 490, 660].map { Desk(x: $0 / width, y: 170 / height, orientation: "top") }
            + [150, 320, 490, 660].map { Desk(x: $0 / width, y: 400 / height, orientation: "top") },
        items: [
            Item(kind: .booth, x: 800, y: 70, width: 150, height: 170, label: "Phone booth"),
            Item(kind: .seating, x: 780, y: 390, width: 170, height: 130, label: "Reading corner"),
            Item(kind: .storage, x: 100, y: 590, width: 560, height: 60, label: "Bookshelf"),
            Item(kind: .plant, x: 40, y: 40, width: 56, height: 56, label: nil),
            Item(kind: .plant, x: 880, y: 590, width: 56, height: 56, label: nil),
        ],
        doorTop: 270)

    /// A project room: two benches of six between a whiteboard wall, storage and a stand-up meeting table.
    static let projectRoom = DemoRoomLayout(
        desks: benches(xs: [250, 410, 570], rows: [170, 270, 430, 530]),
        items: [
            Item(kind: .whiteboard, x: 34, y: 150, width: 60, height: 400, label: "Whiteboard"),
            Item(kind: .storage, x: 760, y: 60, width: 200, height: 70, label: "Storage"),
            Item(kind: .table, x: 720, y: 220, width: 220, height: 170, label: "Stand-up table"),
            Item(kind: .storage, x: 740, y: 470, width: 120, height: 60, label: "Printer"),
            Item(kind: .plant, x: 40, y: 604, width: 56, height: 56, label: nil),
            Item(kind: .plant, x: 660, y: 600, width: 50, height: 50, label: nil),
        ],
        doorTop: 460)

    /// The plan as an SVG image: walls, windows along the long sides, the door, furniture with their names, and the
    /// room's name. No desks.
    func svg(room: String) -> String {
        let room = Self.xmlEscaped(room)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 700" width="1000" height="700" role="img" aria-label="Floor map of \(room)">
            <rect x="0" y="0" width="1000" height="700" fill="#f4f2ec"/>
            <rect x="20" y="20" width="960" height="660" fill="#ffffff" stroke="#3d3d3d" stroke-width="8"/>
            <line x1="100" y1="20" x2="900" y2="20" stroke="#8ecae6" stroke-width="10"/>
            <line x1="100" y1="680" x2="900" y2="680" stroke="#8ecae6" stroke-width="10"/>
            <rect x="974" y="\(Int(doorTop))" width="12" height="80" fill="#ffffff"/>
            <path d="M 980 \(Int(doorTop)) L 900 \(Int(doorTop)) A 80 80 0 0 0 980 \(Int(doorTop) + 80)" fill="none" stroke="#9a9a9a" stroke-width="2" stroke-dasharray="6 4"/>
            <text x="500" y="62" font-family="sans-serif" font-size="26" text-anchor="middle" fill="#8a8a8a">\(room)</text>

            """
        for item in items { svg += Self.draw(item) }
        return svg + "</svg>\n"
    }

    private static func draw(_ item: Item) -> String {
        let (x, y, w, h) = (Int(item.x), Int(item.y), Int(item.width), Int(item.height))
        let shape: String
        switch item.kind {
        case .plant:
            let r = min(w, h) / 2
            shape = """
                <circle cx="\(x + w / 2)" cy="\(y + h / 2)" r="\(r)" fill="#cfe3b4" stroke="#7f9c5a" stroke-width="2"/>
                <circle cx="\(x + w / 2)" cy="\(y + h / 2)" r="\(r / 2)" fill="#a9c97f"/>

                """
        case .table:
            shape = ##"<rect x="\##(x)" y="\##(y)" width="\##(w)" height="\##(h)" rx="24" fill="#ece3d4" stroke="#b8a88f" stroke-width="2"/>"## + "\n"
        case .kitchen:
            shape = ##"<rect x="\##(x)" y="\##(y)" width="\##(w)" height="\##(h)" fill="#e3e8ee" stroke="#9aa6b2" stroke-width="2"/>"## + "\n"
                + ##"<circle cx="\##(x + 40)" cy="\##(y + h / 2)" r="14" fill="none" stroke="#9aa6b2" stroke-width="2"/>"## + "\n"
        case .seating:
            shape = ##"<rect x="\##(x)" y="\##(y)" width="\##(w)" height="\##(h)" rx="16" fill="#e6dff0" stroke="#a99bc0" stroke-width="2"/>"## + "\n"
        case .storage:
            shape = ##"<rect x="\##(x)" y="\##(y)" width="\##(w)" height="\##(h)" fill="#eeeae4" stroke="#a89f92" stroke-width="2"/>"## + "\n"
        case .whiteboard:
            shape = ##"<rect x="\##(x)" y="\##(y)" width="16" height="\##(h)" fill="#fafafa" stroke="#7a8591" stroke-width="3"/>"## + "\n"
        case .booth:
            shape = ##"<rect x="\##(x)" y="\##(y)" width="\##(w)" height="\##(h)" rx="8" fill="#dde9f2" stroke="#7d98ad" stroke-width="3"/>"## + "\n"
        }
        guard let label = item.label else { return shape }
        let text = xmlEscaped(label)
        if item.kind == .whiteboard {
            // Written along the wall, beside the board.
            let cx = x + 40, cy = y + h / 2
            return shape + ##"<text x="\##(cx)" y="\##(cy)" font-family="sans-serif" font-size="15" text-anchor="middle" fill="#6c6c6c" transform="rotate(-90 \##(cx) \##(cy))">\##(text)</text>"## + "\n"
        }
        return shape + ##"<text x="\##(x + w / 2)" y="\##(y + h / 2 + 5)" font-family="sans-serif" font-size="15" text-anchor="middle" fill="#6c6c6c">\##(text)</text>"## + "\n"
    }

    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
