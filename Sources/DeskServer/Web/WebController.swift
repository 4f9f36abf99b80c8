import Vapor

/// Serves the pages of the web app. Pages carry no data of their own: their modules load it through the API, so
/// every authorization decision stays in the services.
enum WebController {
    /// Marks the routes of pages, which are not part of the API (its description and authorization matrix).
    static let isPage = "deskpilot.page"

    static func register(on app: Application) {
        for page in WebPage.all {
            app.get(page.path) { req in try await render(page, req) }.userInfo[isPage] = true
        }
    }

    private static func render(_ page: WebPage, _ req: Request) async throws -> Response {
        // Without any session cookie the visitor is surely signed out; send them to sign in and back. An expired
        // access token is renewed by the page's API client with the refresh cookie, so it is not checked here.
        if page.requiresSession, req.cookies[SessionCookie.access] == nil, req.cookies[SessionCookie.csrf] == nil {
            let next = ReturnPath.of(req.url)
            var allowed = CharacterSet.urlQueryAllowed
            allowed.remove(charactersIn: "&=+?#")
            return req.redirect(to: "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"))
        }
        let id = req.parameters.get("id")
        if let id, UUID(uuidString: id) == nil {
            return try await notFound(req)
        }
        let context = PageContext(
            title: page.title, module: page.template, section: page.section, id: id,
            registrationOpen: req.services.config.registration != .closed)
        let view = try await req.view.render(page.template, context)
        let response = try await view.encodeResponse(for: req)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    /// A page address that cannot name anything: a page saying so, with the way back.
    private static func notFound(_ req: Request) async throws -> Response {
        let context = PageContext(title: "Not found", module: "notfound", section: "desks", id: nil, registrationOpen: false)
        let response = try await req.view.render("notfound", context).encodeResponse(for: req)
        response.status = .notFound
        return response
    }
}
