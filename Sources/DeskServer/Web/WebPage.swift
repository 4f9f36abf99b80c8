import Vapor

/// One page of the web app. A page is a Leaf template that lays out the page's structure and one ES module that
/// fills it from the public API and the WebSocket, exactly as any other client would.
struct WebPage: Sendable {
    /// The route, with `:id` where the page is about one thing (a room, a location).
    let path: [PathComponent]
    /// The template under `Resources/Views/`; the module under `Public/js/pages/` that runs the page has the same name.
    let template: String
    let title: String
    /// Which item of the navigation is current.
    let section: String
    let requiresSession: Bool

    init(_ path: String, template: String, title: String, section: String = "", requiresSession: Bool = true) {
        self.path = path.split(separator: "/").map { $0.hasPrefix(":") ? .parameter(String($0.dropFirst())) : .constant(String($0)) }
        self.template = template
        self.title = title
        self.section = section
        self.requiresSession = requiresSession
    }

    static let all: [WebPage] = [
        WebPage("login", template: "login", title: "Sign in", requiresSession: false),
        WebPage("register", template: "register", title: "Create an account", requiresSession: false),
        WebPage("", template: "dashboard", title: "Find a desk", section: "desks"),
        WebPage("rooms/:id", template: "room", title: "Room", section: "desks"),
        WebPage("bookings", template: "bookings", title: "My bookings", section: "bookings"),
        WebPage("autopilot", template: "autopilot", title: "My autopilot", section: "autopilot"),
        WebPage("settings", template: "settings", title: "Settings", section: "settings"),
        WebPage("notifications", template: "notifications", title: "Notifications", section: "notifications"),
        WebPage("admin", template: "admin/places", title: "Places", section: "admin"),
        WebPage("admin/locations/:id", template: "admin/location", title: "Location", section: "admin"),
        WebPage("admin/rooms/:id", template: "admin/room", title: "Room layout", section: "admin"),
        WebPage("admin/users", template: "admin/users", title: "People", section: "admin"),
        WebPage("admin/audit", template: "admin/audit", title: "Audit log", section: "admin"),
        WebPage("admin/autopilot", template: "admin/autopilot", title: "Autopilot oversight", section: "admin"),
        WebPage("admin/notifications", template: "admin/notifications", title: "Notifications and webhooks", section: "admin"),
    ]
}

/// What every template gets.
struct PageContext: Encodable {
    let title: String
    let module: String
    let section: String
    /// The `:id` of the route, if any; the module reads it from `data-id` on `<main>`.
    let id: String?
    let registrationOpen: Bool
}
