import DeskCore
import Foundation
import Vapor

/// The served OpenAPI 3.1 document: every route of `routes.swift` with its parameters, request body, answer and errors.
///
/// Keep it in step with `routes.swift`: `OpenAPITests` fails when a registered route is missing here or a documented
/// one is not registered. JSON keys are snake_case, as `JSONCoding` writes them.
enum OpenAPIDocument {
    static let json: Data = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(document)
    }()

    private static var document: JSONValue {
        [
            "openapi": "3.1.0",
            "info": info,
            "tags": .array(Tag.allCases.map { ["name": .string($0.rawValue), "description": .string($0.description)] }),
            "security": [["bearerToken": []], ["sessionCookie": []]],
            "paths": paths,
            "components": ["schemas": .object(schemas), "securitySchemes": securitySchemes],
        ]
    }

    private static let info: JSONValue = [
        "title": "DeskPilot",
        "version": "0.1.0",
        "description": """
            Desk booking for offices. All bodies are JSON with snake_case keys; timestamps are ISO-8601 with a zone \
            (`2026-03-29T09:00:00Z` or `2026-03-29T11:00:00+02:00`); times of day are local `HH:mm` strings. \
            Errors are RFC 9457 problem documents (`application/problem+json`) with a stable machine `code`. \
            Lists that can grow are paged: pass a page's `next_cursor` back as `cursor`; the last page has none. \
            Places and bookings the caller may not see answer 404, as if they did not exist. Superusers may do \
            everything; managers of a location manage every room in it. In request bodies a field left out keeps its \
            value (or takes its default), and `null` is accepted only where a schema says so (`\"type\": [\"…\", \"null\"]`); \
            a missing required field or a `null` elsewhere is a 422 naming the field. Text fields refuse control \
            characters (NUL and the like; multi-line ones such as notes and descriptions accept tabs and line breaks). \
            A method a path does not declare answers 405 with an `Allow` header listing the ones it does.
            """,
    ]

    private static let securitySchemes: JSONValue = [
        "bearerToken": [
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "dp_…",
            "description": """
                A personal access token (`dp_…`) from `POST /api/v1/me/tokens`. A token with only the `read` scope may use \
                GET; POST, PUT, PATCH and DELETE need the `write` scope.
                """,
        ],
        "sessionCookie": [
            "type": "apiKey",
            "in": "cookie",
            "name": .string(SessionCookie.access),
            "description": "The browser session set by `POST /api/v1/auth/login` and renewed by `POST /api/v1/auth/refresh`.",
        ],
        "csrfToken": [
            "type": "apiKey",
            "in": "header",
            "name": .string(SessionCookie.csrfHeader),
            "description": .string("""
                With the session cookie, POST, PUT, PATCH and DELETE must echo the `\(SessionCookie.csrf)` cookie \
                (also returned as `csrf_token` at sign-in) in this header.
                """),
        ],
        "csrfQuery": [
            "type": "apiKey",
            "in": "query",
            "name": "csrf_token",
            "description": .string("""
                Only on `POST /api/v1/desks/{id}/hold/release`: the `\(SessionCookie.csrf)` cookie's value as a query \
                parameter, for `navigator.sendBeacon`, which cannot set headers.
                """),
        ],
    ]
}

// MARK: - Operations

extension OpenAPIDocument {
    private enum Tag: String, CaseIterable {
        case system = "System", account = "Account", users = "Users", places = "Places", access = "Access", bookings = "Bookings"
        case requests = "Requests and rounds"
        case autopilot = "Autopilot"
        case holds = "Holds", availability = "Availability", calendar = "Calendar", audit = "Audit", realtime = "Real-time"

        var description: String {
            switch self {
            case .system: "Health, readiness, metrics and this document."
            case .account:
                "Signing in and out, registration, the caller's own account, preferences, numbers, notifications and personal access tokens."
            case .users: "The user directory and account administration."
            case .places: "Countries, locations with their booking policy, floors, rooms with their maintenance state, and desks."
            case .access: "Groups, members, managers, gates (who may see a place) and permanent desks."
            case .bookings: "Booking desks: one or many intervals, changes, check-in and cancellation."
            case .requests:
                "Requests for a desk on a day, the allocation round that shares out a day's desks when it opens, and the waitlist."
            case .autopilot:
                "Personal rules that ask for desks (or watch for them) by themselves, as their owner; their activity; oversight."
            case .holds: "Desk locks while a booking dialog is open, so that nobody else books the desk meanwhile."
            case .availability: "What is free in a room over a time range, and in a location's rooms on a day."
            case .calendar: "The personal iCalendar feed and one `.ics` file per booking."
            case .audit: "Who changed what."
            case .realtime: "Live updates over one WebSocket."
            }
        }
    }

    /// One documented route.
    private struct Operation {
        enum Method: String { case get, post, put, patch, delete }

        enum Access {
            /// No credentials needed (`security: []`).
            case open
            /// A personal access token or a browser session.
            case signedIn
            /// Like `signedIn`, but a browser session may send its CSRF token as the `csrf_token` query parameter.
            case beacon
        }

        enum Body {
            /// A JSON object described by this component schema.
            case json(String)
            /// The bytes of a room map.
            case image
        }

        enum Success {
            case json(Int, String, JSONValue)
            /// The same schema under several statuses, each with its own description.
            case jsonByStatus([Int: String], JSONValue)
            case image(Int, String)
            case calendar(Int, String)
            /// Plain text, such as the Prometheus exposition format.
            case text(Int, String)
            case empty(Int, String)
        }

        var method: Method
        var path: String
        var id: String
        var summary: String
        var tag: Tag = .system
        var description: String?
        var access: Access
        var parameters: [JSONValue]
        var body: Body?
        var success: Success
        var successHeaders: [String: JSONValue] = [:]
        var errors: [Int: String]
        /// Error statuses whose answers carry `Retry-After`.
        var retryAfter: Set<Int> = [423, 429]

        init(
            _ method: Method, _ path: String, _ id: String, _ summary: String, description: String? = nil,
            access: Access = .signedIn, parameters: [JSONValue] = [], body: Body? = nil, _ success: Success,
            errors: [Int: String] = [:]
        ) {
            self.method = method
            self.path = path
            self.id = id
            self.summary = summary
            self.description = description
            self.access = access
            self.parameters = parameters
            self.body = body
            self.success = success
            self.errors = errors
        }

        var isUnsafe: Bool { method != .get }
    }

    private static let operations: [Operation] =
        tagged(.system, systemOperations) + tagged(.account, accountOperations) + tagged(.users, userOperations)
        + tagged(.places, placeOperations) + tagged(.access, accessOperations) + tagged(.bookings, bookingOperations)
        + tagged(.requests, requestOperations) + tagged(.autopilot, autopilotOperations)
        + tagged(.holds, holdOperations) + tagged(.availability, availabilityOperations) + tagged(.calendar, calendarOperations)
        + tagged(.audit, auditOperations) + tagged(.realtime, realtimeOperations)

    private static func tagged(_ tag: Tag, _ operations: [Operation]) -> [Operation] {
        operations.map { var operation = $0; operation.tag = tag; return operation }
    }

    private static let systemOperations: [Operation] = [
        Operation(.get, "/healthz", "healthCheck", "Liveness probe", access: .open,
                  .json(200, "The process is up.", Schema.ref("Health"))),
        Operation(.get, "/readyz", "readinessCheck", "Readiness probe", access: .open,
                  .json(200, "The database answers and every migration has run (`status` is `ready`).", Schema.ref("Health")),
                  errors: [503: "The database does not answer, migrations are pending, or the instance is shutting down."]),
        Operation(.get, "/metrics", "getMetrics", "Prometheus metrics",
                  description: """
                      HTTP requests by route and status with latency histograms, open WebSockets, published events, \
                      booking writes and refusals, background job runs and failures, and whether this instance is the \
                      job leader. Keep it off the public internet (see docs/operations.md).
                      """,
                  access: .open, .text(200, "The Prometheus text exposition format.")),
        Operation(.get, "/api/openapi.json", "getOpenAPIDocument", "This API description", access: .open,
                  .json(200, "The OpenAPI 3.1 document.", ["type": "object", "additionalProperties": true])),
    ]

    private static let accountOperations: [Operation] = {
        var login = Operation(
            .post, "/api/v1/auth/login", "login", "Sign in",
            description: """
                Starts a browser session: sets the `\(SessionCookie.access)`, `\(SessionCookie.refresh)` and \
                `\(SessionCookie.csrf)` cookies. Repeated failures for one account or address are throttled.
                """,
            access: .open, body: .json("LoginRequest"), .json(200, "Signed in.", Schema.ref("Session")),
            errors: [401: "Wrong username or password, or the account is deactivated (`invalid_credentials`).",
                     429: "Too many failed sign-ins; retry after `Retry-After` seconds (`too_many_attempts`)."])
        login.successHeaders = setCookie
        var refresh = Operation(
            .post, "/api/v1/auth/refresh", "refreshSession", "Renew the session",
            description: "Rotates the refresh cookie and issues a new access cookie. A reused refresh token ends its whole session.",
            access: .open, parameters: [Parameter.refreshCookie(required: true), Parameter.csrfHeader(required: true)],
            .json(200, "The session is renewed.", Schema.ref("Session")),
            errors: [401: "The refresh cookie is missing, expired, revoked or reused (`session_expired`).",
                     403: "`X-CSRF-Token` does not echo the `\(SessionCookie.csrf)` cookie (`csrf_failed`)."])
        refresh.successHeaders = setCookie
        var logout = Operation(
            .post, "/api/v1/auth/logout", "logout", "Sign out",
            description: "Ends the session of the refresh cookie, if any, and clears the session cookies.",
            access: .open, parameters: [Parameter.refreshCookie(required: false), Parameter.csrfHeader(required: false)],
            .empty(204, "Signed out."),
            errors: [403: "Signing out with only the refresh cookie needs the CSRF header (`csrf_failed`)."])
        logout.successHeaders = setCookie
        var password = Operation(
            .put, "/api/v1/me/password", "changePassword", "Change the caller's password",
            description: "Needs a browser session (not a personal access token) and the current password; wrong guesses count like failed sign-ins. Every other session of the person ends; the caller gets new session cookies.",
            body: .json("PasswordChange"), .json(200, "Changed; the new session.", Schema.ref("Session")),
            errors: [403: "Called with a personal access token (`session_required`).",
                     422: "The current password is wrong or the new one too short or long; `errors` names `current_password` or `new_password` (`validation_failed`).",
                     429: "Too many wrong guesses (`too_many_attempts`)."])
        password.successHeaders = setCookie
        return [
            login, refresh, logout, password,
            Operation(.post, "/api/v1/auth/register", "register", "Create an account (self-service)",
                      description: "Allowed when the server's registration mode is open or limited to the e-mail's domain.",
                      access: .open, body: .json("RegisterRequest"), .json(201, "The account is created.", Schema.ref("User")),
                      errors: [403: "Registration is disabled (`registration_closed`).",
                               409: "The username or e-mail address is taken (`already_exists`).",
                               422: "Invalid fields, or the e-mail domain may not register (`validation_failed`)."]),
            Operation(.get, "/api/v1/me", "getMe", "The caller's account, groups and managed places",
                      .json(200, "The signed-in user.", Schema.ref("Me"))),
            Operation(.get, "/api/v1/me/tokens", "listTokens", "The caller's personal access tokens",
                      .json(200, "Active tokens, oldest first, without their secrets.", Schema.array(Schema.ref("Token")))),
            Operation(.post, "/api/v1/me/tokens", "createToken", "Create a personal access token",
                      body: .json("TokenRequest"), .json(201, "The token; its secret `token` is shown only in this answer.", Schema.ref("Token")),
                      errors: [422: "Invalid name or scopes, or a token asking for more scopes than the caller's own (`validation_failed`)."]),
            Operation(.delete, "/api/v1/me/tokens/{id}", "revokeToken", "Revoke a personal access token",
                      .empty(204, "The token is revoked."),
                      errors: [404: "No such active token of the caller (`not_found`)."]),
            Operation(.get, "/api/v1/me/preferences", "getPreferences", "The caller's preferences",
                      .json(200, "The preferences; defaults where none are set.", Schema.ref("Preferences"))),
            Operation(.patch, "/api/v1/me/preferences", "updatePreferences", "Change the caller's preferences",
                      body: .json("PatchPreferences"), .json(200, "The changed preferences.", Schema.ref("Preferences")),
                      errors: [422: "Invalid fields, or a default location the caller may not see; `errors` names them (`validation_failed`)."]),
            Operation(.get, "/api/v1/me/stats", "getStats", "The caller's booking numbers",
                      description: "Weeks and months are counted in the caller's time zone preference, else their default location's, else UTC.",
                      .json(200, "The numbers now.", Schema.ref("Stats"))),
            Operation(.get, "/api/v1/me/notifications", "listNotifications", "The caller's notifications",
                      .json(200, "The newest 100, newest first.", Schema.array(Schema.ref("Notification")))),
        ]
    }()

    private static let setCookie: [String: JSONValue] = [
        "Set-Cookie": ["description": "The session cookies.", "schema": Schema.string],
    ]

    private static let userOperations: [Operation] = [
        Operation(.get, "/api/v1/users", "searchUsers", "Search the user directory",
                  description: "Matches username, display name and e-mail address; ordered by username. E-mail addresses show to managers only.",
                  parameters: [Parameter.query("q", Schema.string, "Text to look for (case-insensitive).")] + Parameter.paging,
                  .json(200, "One page of users.", Schema.ref("UserPage")),
                  errors: [422: "`limit` is out of range (`validation_failed`)."]),
        Operation(.post, "/api/v1/users", "createUser", "Create an account",
                  body: .json("CreateUser"), .json(201, "The account is created.", Schema.ref("User")),
                  errors: [403: "Only superusers create accounts (`forbidden`).",
                           409: "The username or e-mail address is taken (`already_exists`).",
                           422: "Invalid fields (`validation_failed`)."]),
        Operation(.get, "/api/v1/users/{id}", "getUser", "Read a user",
                  .json(200, "The user; the e-mail address shows to managers and the user themselves.", Schema.ref("User")),
                  errors: [404: "No such user (`not_found`)."]),
        Operation(.patch, "/api/v1/users/{id}", "updateUser", "Change an account",
                  description: "Deactivating an account or setting its password ends all of its sessions.",
                  body: .json("PatchUser"), .json(200, "The changed account.", Schema.ref("User")),
                  errors: [403: "Only superusers change accounts (`forbidden`).",
                           404: "No such user (`not_found`).",
                           409: "The e-mail address is taken (`already_exists`).",
                           422: "Invalid fields, or a superuser demoting or deactivating themselves (`validation_failed`)."]),
    ]

    private static let placeOperations: [Operation] = [
        Operation(.get, "/api/v1/countries", "listCountries", "List countries",
                  .json(200, "All countries, by name.", Schema.array(Schema.ref("Country")))),
        Operation(.post, "/api/v1/countries", "createCountry", "Create a country",
                  body: .json("CountryInput"), .json(201, "The country is created.", Schema.ref("Country")),
                  errors: [403: superuserOnly, 409: "That country exists already (`already_exists`).", 422: invalidFields]),
        Operation(.get, "/api/v1/countries/{id}", "getCountry", "Read a country",
                  .json(200, "The country.", Schema.ref("Country")), errors: [404: notFound("country")]),
        Operation(.patch, "/api/v1/countries/{id}", "updateCountry", "Change a country",
                  body: .json("CountryInput"), .json(200, "The changed country.", Schema.ref("Country")),
                  errors: [403: superuserOnly, 404: notFound("country"), 409: "That country exists already (`already_exists`).",
                           422: invalidFields]),
        Operation(.delete, "/api/v1/countries/{id}", "deleteCountry", "Delete a country",
                  .empty(204, "The country is deleted."),
                  errors: [403: superuserOnly, 404: notFound("country"), 409: "The country still has locations (`not_empty`)."]),

        Operation(.get, "/api/v1/locations", "listLocations", "List the locations the caller may see",
                  parameters: [Parameter.query("country_id", Schema.uuid, "Only locations in this country.")],
                  .json(200, "Visible locations, by name.", Schema.array(Schema.ref("Location"))),
                  errors: [400: "`country_id` is not a UUID (`invalid_body`)."]),
        Operation(.post, "/api/v1/locations", "createLocation", "Create a location",
                  body: .json("LocationInput"), .json(201, "The location is created.", Schema.ref("Location")),
                  errors: [403: superuserOnly, 409: "A location with that name exists in the country (`already_exists`).",
                           422: "Invalid fields or no such country (`validation_failed`)."]),
        Operation(.get, "/api/v1/locations/{id}", "getLocation", "Read a location",
                  .json(200, "The location with its effective policy.", Schema.ref("Location")), errors: [404: notFound("location")]),
        Operation(.patch, "/api/v1/locations/{id}", "updateLocation", "Change a location",
                  description: "Managers of the location change it; only superusers move it to another country.",
                  body: .json("LocationInput"), .json(200, "The changed location.", Schema.ref("Location")),
                  errors: [403: managersOnly("location"), 404: notFound("location"),
                           409: "A location with that name exists in the country (`already_exists`).",
                           422: "Invalid fields or no such country (`validation_failed`)."]),
        Operation(.delete, "/api/v1/locations/{id}", "deleteLocation", "Delete a location",
                  .empty(204, "The location and its groups are deleted."),
                  errors: [403: superuserOnly, 404: notFound("location"), 409: "The location still has floors (`not_empty`)."]),
        Operation(.get, "/api/v1/policy/defaults", "getPolicyDefaults", "The global booking policy",
                  description: "What every location uses for the rules it does not set itself.",
                  .json(200, "The global defaults.", Schema.ref("Policy"))),
        Operation(.get, "/api/v1/locations/{id}/policy", "getLocationPolicy", "The location's effective booking policy",
                  .json(200, "Global defaults with the location's overrides applied.", Schema.ref("Policy")),
                  errors: [404: notFound("location")]),
        Operation(.patch, "/api/v1/locations/{id}/policy", "updateLocationPolicy", "Change the location's policy overrides",
                  description: "Fields sent replace the location's overrides; a field sent as `null` goes back to the global default; fields left out keep theirs. The result must be a usable policy.",
                  body: .json("PolicyPatch"), .json(200, "The location with its new policy.", Schema.ref("Location")),
                  errors: [403: managersOnly("location"), 404: notFound("location"),
                           422: "The resulting policy is invalid; `errors` names the fields (`validation_failed`)."]),
        Operation(.get, "/api/v1/locations/{id}/floors", "listFloors", "List the floors of a location",
                  .json(200, "Floors by level and name.", Schema.array(Schema.ref("Floor"))), errors: [404: notFound("location")]),
        Operation(.post, "/api/v1/locations/{id}/floors", "createFloor", "Add a floor to a location",
                  body: .json("FloorInput"), .json(201, "The floor is created.", Schema.ref("Floor")),
                  errors: [403: managersOnly("location"), 404: notFound("location"),
                           409: "A floor with that name exists here (`already_exists`).", 422: invalidFields]),
        Operation(.get, "/api/v1/locations/{id}/rooms", "listLocationRooms", "List the rooms of a location the caller may see",
                  .json(200, "Visible rooms by name.", Schema.array(Schema.ref("Room"))), errors: [404: notFound("location")]),

        Operation(.get, "/api/v1/floors/{id}", "getFloor", "Read a floor",
                  .json(200, "The floor.", Schema.ref("Floor")), errors: [404: notFound("floor")]),
        Operation(.patch, "/api/v1/floors/{id}", "updateFloor", "Change a floor",
                  body: .json("FloorInput"), .json(200, "The changed floor.", Schema.ref("Floor")),
                  errors: [403: managersOnly("location"), 404: notFound("floor"),
                           409: "A floor with that name exists here (`already_exists`).", 422: invalidFields]),
        Operation(.delete, "/api/v1/floors/{id}", "deleteFloor", "Delete a floor",
                  .empty(204, "The floor is deleted."),
                  errors: [403: managersOnly("location"), 404: notFound("floor"), 409: "The floor still has rooms (`not_empty`)."]),
        Operation(.get, "/api/v1/floors/{id}/rooms", "listFloorRooms", "List the rooms of a floor the caller may see",
                  .json(200, "Visible rooms by name.", Schema.array(Schema.ref("Room"))), errors: [404: notFound("floor")]),
        Operation(.post, "/api/v1/floors/{id}/rooms", "createRoom", "Add a room to a floor",
                  body: .json("RoomInput"), .json(201, "The room is created.", Schema.ref("Room")),
                  errors: [403: managersOnly("location"), 404: notFound("floor"),
                           409: "A room with that name exists on this floor (`already_exists`).", 422: invalidFields]),

        Operation(.get, "/api/v1/rooms/{id}", "getRoom", "Read a room",
                  .json(200, "The room.", Schema.ref("Room")), errors: [404: notFound("room")]),
        Operation(.patch, "/api/v1/rooms/{id}", "updateRoom", "Change a room",
                  body: .json("RoomInput"), .json(200, "The changed room.", Schema.ref("Room")),
                  errors: [403: managersOnly("room"), 404: notFound("room"),
                           409: "A room with that name exists on this floor (`already_exists`).", 422: invalidFields]),
        Operation(.delete, "/api/v1/rooms/{id}", "deleteRoom", "Delete a room",
                  .empty(204, "The room is deleted."),
                  errors: [403: managersOnly("location"), 404: notFound("room"), 409: "The room still has desks (`not_empty`)."]),
        Operation(.get, "/api/v1/rooms/{id}/map", "getRoomMap", "The room's floor map",
                  .image(200, "The map image: PNG, JPEG and WebP as uploaded, SVG as stored after the filter (re-written from the checked XML)."),
                  errors: [404: "No such room, the caller may not see it, or it has no map (`not_found`)."]),
        Operation(.put, "/api/v1/rooms/{id}/map", "setRoomMap", "Upload the room's floor map",
                  description: "Replaces the map (at most 5 MB). PNG, JPEG, WebP or SVG. An SVG is parsed as XML and must keep to static drawing: no DOCTYPE or entities, no scripts, event attributes, animation or foreign content, no references outside the document; anything else is refused with 422 naming what and where. It is stored re-written from the checked XML.",
                  body: .image, .empty(204, "The map is stored."),
                  errors: [403: managersOnly("room"), 404: notFound("room"),
                           422: "The body is empty or not a PNG, JPEG, WebP or script-free SVG image (`validation_failed`)."]),
        Operation(.put, "/api/v1/rooms/{id}/maintenance", "startRoomMaintenance", "Put a room under maintenance",
                  description: """
                      New bookings in the room are refused (`not_bookable`); existing ones stay and are listed. Their owners \
                      are notified when maintenance begins. Sent again, it only changes the reason.
                      """,
                  body: .json("MaintenanceInput"),
                  .json(200, "The room with the confirmed bookings in it that have not ended, by start.", Schema.ref("Maintenance")),
                  errors: [403: managersOnly("room"), 404: notFound("room"),
                           422: "The reason is empty or too long (`validation_failed`)."]),
        Operation(.delete, "/api/v1/rooms/{id}/maintenance", "endRoomMaintenance", "End a room's maintenance",
                  .json(200, "The room, bookable again.", Schema.ref("Room")),
                  errors: [403: managersOnly("room"), 404: notFound("room")]),
        Operation(.get, "/api/v1/rooms/{id}/desks", "listDesks", "List the desks of a room",
                  .json(200, "Desks by name.", Schema.array(Schema.ref("Desk"))), errors: [404: notFound("room")]),
        Operation(.post, "/api/v1/rooms/{id}/desks", "createDesk", "Add a desk to a room",
                  body: .json("DeskInput"), .json(201, "The desk is created.", Schema.ref("Desk")),
                  errors: [403: managersOnly("room"), 404: notFound("room"),
                           409: "A desk with that name exists in this room (`already_exists`).", 422: invalidFields]),

        Operation(.get, "/api/v1/desks/{id}", "getDesk", "Read a desk",
                  .json(200, "The desk.", Schema.ref("Desk")), errors: [404: notFound("desk")]),
        Operation(.patch, "/api/v1/desks/{id}", "updateDesk", "Change a desk",
                  body: .json("DeskInput"), .json(200, "The changed desk.", Schema.ref("Desk")),
                  errors: [403: managersOnly("room"), 404: notFound("desk"),
                           409: "A desk with that name exists in this room (`already_exists`).", 422: invalidFields]),
        Operation(.delete, "/api/v1/desks/{id}", "deleteDesk", "Delete a desk",
                  .empty(204, "The desk is deleted."),
                  errors: [403: managersOnly("room"), 404: notFound("desk"),
                           409: "The desk has bookings; deactivate it instead with `is_active: false` (`not_empty`)."]),
    ]

    private static let accessOperations: [Operation] = [
        Operation(.get, "/api/v1/locations/{id}/groups", "listGroups", "List the groups of a location",
                  .json(200, "Groups by name.", Schema.array(Schema.ref("Group"))),
                  errors: [403: groupManagersOnly, 404: notFound("location")]),
        Operation(.post, "/api/v1/locations/{id}/groups", "createGroup", "Create a group in a location",
                  body: .json("GroupInput"), .json(201, "The group is created.", Schema.ref("Group")),
                  errors: [403: managersOnly("location"), 404: notFound("location"),
                           409: "A group with that name exists here (`already_exists`).", 422: invalidFields]),
        Operation(.patch, "/api/v1/groups/{id}", "updateGroup", "Change a group",
                  body: .json("GroupInput"), .json(200, "The changed group.", Schema.ref("Group")),
                  errors: [403: managersOnly("location"), 404: notFound("group"),
                           409: "A group with that name exists here (`already_exists`).", 422: invalidFields]),
        Operation(.delete, "/api/v1/groups/{id}", "deleteGroup", "Delete a group",
                  .empty(204, "The group is deleted."),
                  errors: [403: managersOnly("location"), 404: notFound("group"),
                           409: "The group guards a location or room; remove it from those gates first (`group_in_use`)."]),
        Operation(.get, "/api/v1/groups/{id}/members", "listGroupMembers", "List the members of a group",
                  .json(200, "Members by username.", Schema.array(Schema.ref("User"))),
                  errors: [403: groupManagersOnly, 404: notFound("group")]),
        Operation(.put, "/api/v1/groups/{id}/members/{user_id}", "addGroupMember", "Add a user to a group",
                  .empty(204, "The user is a member."),
                  errors: [403: memberEditorsOnly, 404: "No such group or user, or the caller may not see the group (`not_found`)."]),
        Operation(.delete, "/api/v1/groups/{id}/members/{user_id}", "removeGroupMember", "Remove a user from a group",
                  .empty(204, "The user is not a member."),
                  errors: [403: memberEditorsOnly, 404: "No such group or user, or the caller may not see the group (`not_found`)."]),
        Operation(.get, "/api/v1/locations/{id}/managers", "listLocationManagers", "List the managers of a location",
                  .json(200, "Managers by username.", Schema.array(Schema.ref("User"))),
                  errors: [403: managersOnly("location"), 404: notFound("location")]),
        Operation(.put, "/api/v1/locations/{id}/managers/{user_id}", "addLocationManager", "Make a user a manager of a location",
                  .empty(204, "The user manages the location."),
                  errors: [403: superuserOnly, 404: "No such location or user (`not_found`)."]),
        Operation(.delete, "/api/v1/locations/{id}/managers/{user_id}", "removeLocationManager", "Remove a manager of a location",
                  .empty(204, "The user does not manage the location."),
                  errors: [403: superuserOnly, 404: "No such location or user (`not_found`)."]),
        Operation(.get, "/api/v1/rooms/{id}/managers", "listRoomManagers", "List the managers of a room",
                  .json(200, "Managers by username.", Schema.array(Schema.ref("User"))),
                  errors: [403: managersOnly("room"), 404: notFound("room")]),
        Operation(.put, "/api/v1/rooms/{id}/managers/{user_id}", "addRoomManager", "Make a user a manager of a room",
                  .empty(204, "The user manages the room."),
                  errors: [403: managersOnly("location"), 404: "No such room or user, or the caller may not see the room (`not_found`)."]),
        Operation(.delete, "/api/v1/rooms/{id}/managers/{user_id}", "removeRoomManager", "Remove a manager of a room",
                  .empty(204, "The user does not manage the room."),
                  errors: [403: managersOnly("location"), 404: "No such room or user, or the caller may not see the room (`not_found`)."]),
        Operation(.get, "/api/v1/locations/{id}/gate", "getLocationGate", "Who may see a location",
                  description: "The groups the location is limited to; an empty list means everyone.",
                  .json(200, "The gate.", Schema.ref("Gate")), errors: [403: managersOnly("location"), 404: notFound("location")]),
        Operation(.get, "/api/v1/rooms/{id}/gate", "getRoomGate", "Who may see a room",
                  description: "The groups the room is limited to; an empty list means everyone who sees the location.",
                  .json(200, "The gate.", Schema.ref("Gate")), errors: [403: managersOnly("room"), 404: notFound("room")]),
        Operation(.put, "/api/v1/locations/{id}/gate", "setLocationGate", "Set who may see a location",
                  description: "Replaces the gate: only members of these groups (and managers) see the location. An empty list opens it to everyone.",
                  body: .json("Gate"), .json(200, "The new gate.", Schema.ref("Gate")),
                  errors: [403: managersOnly("location"), 404: notFound("location"),
                           422: "A group does not belong to this location (`validation_failed`)."]),
        Operation(.put, "/api/v1/rooms/{id}/gate", "setRoomGate", "Set who may see a room",
                  description: "Replaces the gate: only members of these groups (and managers) see the room. An empty list opens it to everyone who sees the location.",
                  body: .json("Gate"), .json(200, "The new gate.", Schema.ref("Gate")),
                  errors: [403: managersOnly("location"), 404: notFound("room"),
                           422: "A group does not belong to the room's location (`validation_failed`)."]),
        Operation(.put, "/api/v1/desks/{id}/permanent", "assignPermanentDesk", "Give a desk to one person permanently",
                  description: "Only that person may book the desk afterwards.",
                  body: .json("PermanentInput"), .json(200, "The desk with its `permanent_user_id`.", Schema.ref("Desk")),
                  errors: [403: managersOnly("room"), 404: notFound("desk"), 422: "No such user (`validation_failed`)."]),
        Operation(.delete, "/api/v1/desks/{id}/permanent", "clearPermanentDesk", "Make a permanent desk bookable by everyone again",
                  .json(200, "The desk without `permanent_user_id`.", Schema.ref("Desk")),
                  errors: [403: managersOnly("room"), 404: notFound("desk")]),
    ]

    private static let bookingOperations: [Operation] = [
        Operation(.get, "/api/v1/bookings", "listBookings", "List bookings",
                  description: """
                      The caller's own bookings by default, or the bookings of one desk, room or location (use at most one of \
                      `mine`, `desk_id`, `room_id`, `location_id`). Ordered by start. Where the location hides bookers, \
                      others' bookings come without `user_id`, `user` and `created_by`. A `note` is only ever shown to the \
                      booking's owner and the managers of its room.
                      """,
                  parameters: [
                      Parameter.query("mine", Schema.boolean, "Only the caller's own bookings (the default without another filter)."),
                      Parameter.query("desk_id", Schema.uuid, "Only bookings of this desk."),
                      Parameter.query("room_id", Schema.uuid, "Only bookings in this room."),
                      Parameter.query("location_id", Schema.uuid, "Only bookings in this location."),
                      Parameter.query("from", Schema.timestamp, "Only bookings that end after this instant."),
                      Parameter.query("to", Schema.timestamp, "Only bookings that start before this instant."),
                      Parameter.query("status", Schema.enumeration(["confirmed", "cancelled", "released", "all"]).with("default", "confirmed"),
                                      "Only bookings with this status; `all` for every status."),
                  ] + Parameter.paging,
                  .json(200, "One page of bookings.", Schema.ref("BookingPage")),
                  errors: [400: "`from` or `to` is not a timestamp with a zone (`invalid_timestamp`), or a filter is malformed (`invalid_body`).",
                           404: "No such desk, room or location, or the caller may not see it (`not_found`).",
                           422: "Conflicting filters, `to` not after `from`, or an invalid `status`, `limit` or `cursor` (`validation_failed`)."]),
        Operation(.post, "/api/v1/bookings", "createBooking", "Book a desk",
                  description: """
                      Books for the caller, or with `user_id` for someone else (managers of the desk's room only). \
                      The location's policy decides the allowed times.
                      """,
                  body: .json("CreateBooking"), .json(201, "The booking is confirmed.", Schema.ref("Booking")),
                  errors: [403: "Only managers of the desk's room book for someone else (`forbidden`).",
                           404: notFound("desk"),
                           409: bookingConflicts + " or not bookable (`not_bookable`).",
                           422: bookingRules, 423: deskHeld]),
        Operation(.get, "/api/v1/bookings/{id}", "getBooking", "Read a booking",
                  .json(200, "The booking.", Schema.ref("Booking")), errors: [404: notFound("booking")]),
        Operation(.patch, "/api/v1/bookings/{id}", "updateBooking", "Move, extend or shorten a booking, or change its note",
                  description: "Send `start` and `end` together. An ongoing booking keeps its start.",
                  body: .json("PatchBooking"), .json(200, "The changed booking.", Schema.ref("Booking")),
                  errors: [404: "No such booking, or the caller may not change it (`not_found`).",
                           409: bookingConflicts + ", or the booking is no longer active (`booking_not_active`, `booking_ended`), or the desk is not bookable (`not_bookable`).",
                           422: bookingRules, 423: deskHeld]),
        Operation(.delete, "/api/v1/bookings/{id}", "cancelBooking", "Cancel a booking",
                  description: "The booking stays as history with status `cancelled`.",
                  .json(200, "The cancelled booking.", Schema.ref("Booking")),
                  errors: [404: "No such booking, or the caller may not change it (`not_found`).",
                           409: "The booking is no longer active (`booking_not_active`, `booking_ended`)."]),
        Operation(.post, "/api/v1/bookings/bulk", "createBookings", "Book one desk for many intervals",
                  description: """
                      Up to \(BookingService.maximumIntervals) intervals that do not overlap each other, each decided on its \
                      own: 201 when every one is booked, 200 with each interval's outcome when some are refused. With \
                      `atomic: true` all or none are booked: a refusal answers the first interval's problem, whose \
                      `intervals` holds every interval's outcome (the others `not_attempted`) and `conflicts` the colliding \
                      bookings' times.
                      """,
                  body: .json("BulkBookingRequest"),
                  .jsonByStatus([201: "Every interval is booked.", 200: "Some intervals are refused; `intervals` tells which and why."],
                                Schema.ref("BulkResult")),
                  errors: [403: "Only managers of the desk's room book for someone else (`forbidden`).",
                           404: notFound("desk"),
                           409: """
                               The person may not book in this room (`not_bookable`). With `atomic: true`, also an interval's \
                               collision or quota, or a desk that is not bookable (`desk_taken`, `concurrent_limit`, \
                               `quota_exceeded`, `not_bookable`).
                               """,
                           422: """
                               Invalid fields, no intervals, too many, or intervals that overlap each other; `errors` names \
                               them, such as `intervals[1]` (`validation_failed`). With `atomic: true`, also an interval that breaks the \
                               location's policy (`in_the_past`, `not_aligned`, `outside_bookable_hours`, `outside_window`, \
                               `invalid_duration`).
                               """,
                           423: "With `atomic: true`: someone else holds the desk (`desk_held`); retry after `Retry-After` seconds."]),
        Operation(.post, "/api/v1/bookings/{id}/intervals", "replaceBookingIntervals", "Turn a booking into a set of intervals",
                  description: """
                      Touching and overlapping intervals are merged. The booking keeps one interval, the others become new \
                      bookings of the same desk and owner, and the owner's bookings of the desk that overlap them are \
                      cancelled; bookings in the gaps stay. An empty list cancels the booking. All or nothing.
                      """,
                  body: .json("ReplaceIntervals"), .json(200, "What changed, with the resulting bookings.", Schema.ref("IntervalChange")),
                  errors: [404: "No such booking, or the caller may not change it (`not_found`).",
                           409: bookingConflicts + """
                               , or the booking is no longer active (`booking_not_active`, `booking_ended`), or its owner may no \
                               longer book in the room (`not_bookable`).
                               """,
                           422: bookingRules + " More than \(BookingService.maximumIntervals) intervals are refused too.",
                           423: deskHeld]),
        Operation(.post, "/api/v1/bookings/{id}/check-in", "checkInBooking", "Check in to a booking",
                  description: """
                      Only the booking's owner checks in: from \(Int(CheckInRules.opensBefore / 60)) minutes before the start \
                      until the end, or, where the location requires check-in, until its grace period after the start ends.
                      """,
                  .json(200, "The booking with its `checked_in_at`.", Schema.ref("Booking")),
                  errors: [403: "Only the person who has the desk checks in (`forbidden`).",
                           404: notFound("booking"),
                           409: """
                               The booking is not active (`booking_not_active`), check-in has not opened yet \
                               (`check_in_not_open`) or has closed (`check_in_closed`), or it was checked in already \
                               (`already_checked_in`).
                               """]),
    ]

    private static let requestOperations: [Operation] = [
        Operation(.post, "/api/v1/requests", "createRequest", "Ask for a desk on a day",
                  description: """
                      For a day not yet open for booking, or whose round is still to run, the request waits (`pending`) \
                      for the location's allocation round: when the day opens, the round draws an order at random, weighted \
                      towards people who went without a desk in earlier rounds, and gives each in turn the best free desk \
                      they accept. For a day already open it joins the end of the waitlist (`waitlisted`) and takes a free \
                      matching desk at once if one is there (`won`). Up to \(AllocationService.furthestDays) days ahead; \
                      one open request per person, location and day.
                      """,
                  body: .json("AllocationRequestInput"),
                  .json(201, "The request is filed; `status` tells whether it waits for the round or the waitlist, or has a desk.",
                        Schema.ref("AllocationRequest")),
                  errors: [404: notFound("location"),
                           409: "The caller has an open request at this location for that day already (`request_exists`).",
                           422: """
                               Invalid fields; `errors` names them: a day in the past or more than \
                               \(AllocationService.furthestDays) days ahead, a window with no bookable time that day, more than \
                               \(AllocationService.maximumPreferences) desks or a desk twice, desks, rooms or floors of another \
                               location, or no desk named while `accepts_other_desks` is false (`validation_failed`).
                               """]),
        Operation(.get, "/api/v1/me/requests", "listMyRequests", "The caller's requests",
                  parameters: [
                      Parameter.query("from", Schema.date, "Only requests for this day or later."),
                      Parameter.query("status", Schema.enumeration(RequestStatus.allCases.map(\.rawValue)), "Only requests with this status."),
                      Parameter.query("limit", Schema.integer(min: 1, max: 500).with("default", 100), "At most this many."),
                  ],
                  .json(200, "The caller's requests, latest day first, newest first within a day.",
                        Schema.array(Schema.ref("AllocationRequest"))),
                  errors: [400: "`limit` is not an integer (`invalid_body`).",
                           422: "`from` is not a date as `YYYY-MM-DD`, or an invalid `status` or `limit` (`validation_failed`)."]),
        Operation(.get, "/api/v1/requests/{id}", "getRequest", "Read one of the caller's requests",
                  .json(200, "The request.", Schema.ref("AllocationRequest")),
                  errors: [404: "No such request of the caller (`not_found`)."]),
        Operation(.delete, "/api/v1/requests/{id}", "cancelRequest", "Withdraw one of the caller's requests",
                  description: """
                      Only a request that still waits (`pending` or `waitlisted`) is withdrawn; it stays as history with \
                      status `cancelled`. A request that has a desk is given up by cancelling its booking.
                      """,
                  .json(200, "The request with status `cancelled`.", Schema.ref("AllocationRequest")),
                  errors: [404: "No such request of the caller (`not_found`).",
                           409: "The request waits no longer: it has a desk, or is cancelled, expired or failed already (`request_closed`)."]),
        Operation(.get, "/api/v1/locations/{id}/rounds", "getRound", "The allocation round of a location's day",
                  description: """
                      Everyone who sees the location sees the round's counts and seed; managers of the location see every \
                      participant's line, everyone else only their own.
                      """,
                  parameters: [Parameter.query("date", Schema.date, "The local day of the round.").with("required", true)],
                  .json(200, "The round, with the lines the caller may see in the order drawn (requests left out of the draw last).",
                        Schema.ref("RoundReport")),
                  errors: [404: "No such location, the caller may not see it, or no round has run for that day (`not_found`).",
                           422: "`date` is missing or not a date as `YYYY-MM-DD` (`validation_failed`)."]),
        Operation(.post, "/api/v1/admin/locations/{id}/rounds", "runRound", "Run a location's allocation round for a day now",
                  description: """
                      Allocates the requests that wait (`pending`) for that day now, before the day opens if need be, \
                      instead of at the location's release time. A round runs at most once per location and day: when it \
                      has run already, nothing is done again and its report is returned.
                      """,
                  body: .json("RoundInput"),
                  .jsonByStatus([201: "The round ran now; the report with every participant's line.",
                                 200: "The round had run already; its report with every participant's line."],
                                Schema.ref("RoundReport")),
                  errors: [403: managersOnly("location"), 404: notFound("location"),
                           409: "No requests wait for a round at this location on that day (`nothing_to_allocate`)."]),
    ]

    private static let holdOperations: [Operation] = {
        var acquire = Operation(
            .put, "/api/v1/desks/{id}/hold", "holdDesk", "Hold a desk, or refresh the caller's hold",
            description: """
                While the caller holds a desk, nobody else may book it (`desk_held`). A hold lasts \
                \(Int(HoldRules.lifetime)) s from each acquisition or refresh (clients refresh every 25 s), but at most \
                \(Int(HoldRules.cap / 60)) minutes from the first, however often it is refreshed or released and taken \
                again; then the caller waits \(Int(HoldRules.coolDown / 60)) minutes. The caller's own booking of the \
                desk consumes the hold.
                """,
            .json(200, "The caller's hold.", Schema.ref("Hold")),
            errors: [404: notFound("desk"),
                     409: """
                         The hold reached its \(Int(HoldRules.cap / 60))-minute cap; retry after `Retry-After` seconds \
                         (`hold_limit_reached`). Or the desk is inactive, under maintenance or someone else's permanent \
                         desk (`not_bookable`).
                         """,
                     423: deskHeld])
        acquire.retryAfter.insert(409)
        return [
            acquire,
            Operation(.delete, "/api/v1/desks/{id}/hold", "releaseDeskHold", "Release the caller's hold on a desk",
                      .empty(204, "The caller holds the desk no longer (also when they held nothing)."),
                      errors: [404: notFound("desk")]),
            Operation(.post, "/api/v1/desks/{id}/hold/release", "releaseDeskHoldBeacon", "Release the caller's hold (beacon)",
                      description: """
                          The same as `DELETE /api/v1/desks/{id}/hold`, for `navigator.sendBeacon` when a page closes: a \
                          browser session may send its CSRF token as the `csrf_token` query parameter instead of the header.
                          """,
                      access: .beacon, .empty(204, "The caller holds the desk no longer (also when they held nothing)."),
                      errors: [404: notFound("desk")]),
        ]
    }()

    private static let availabilityOperations: [Operation] = [
        Operation(.get, "/api/v1/rooms/{id}/availability", "getRoomAvailability", "What is free in a room",
                  description: """
                      Per desk: its status now, its active hold and the confirmed bookings in the range. Bookers show where \
                      the location allows (and always on the caller's own bookings).
                      """,
                  parameters: [
                      Parameter.query("from", Schema.timestamp, "Start of the range; send with `to`. Default: today in the location's zone."),
                      Parameter.query("to", Schema.timestamp,
                                      "End of the range; send with `from`, at most \(Int(AvailabilityService.maximumRange / 86_400)) days after it."),
                  ],
                  .json(200, "The room's desks by name.", Schema.ref("RoomAvailability")),
                  errors: [400: "`from` or `to` is not a timestamp with a zone (`invalid_timestamp`).",
                           404: notFound("room"),
                           422: """
                               Only one of `from` and `to`, `to` not after `from`, or a range longer than \
                               \(Int(AvailabilityService.maximumRange / 86_400)) days (`validation_failed`).
                               """]),
        Operation(.get, "/api/v1/locations/{id}/availability", "getLocationAvailability", "Free desks per room of a location on a day",
                  description: "Counts the desks of each room the caller may see over the day's bookable hours.",
                  parameters: [Parameter.query("date", Schema.date, "The local day; default today in the location's zone.")],
                  .json(200, "The visible rooms by name.", Schema.ref("LocationAvailability")),
                  errors: [404: notFound("location"), 422: "`date` is not a date as `YYYY-MM-DD` (`validation_failed`)."]),
    ]

    private static let calendarOperations: [Operation] = [
        Operation(.post, "/api/v1/me/calendar-feed", "rotateCalendarFeed", "Issue a new secret calendar feed URL",
                  description: """
                      The feed lists the caller's bookings of the last \(Int(CalendarService.history / 86_400)) days and \
                      ahead. The previous URL stops working.
                      """,
                  .json(200, "The new feed URL.", Schema.ref("CalendarFeed"))),
        Operation(.get, "/calendar/{file}", "getCalendarFeed", "A person's calendar feed",
                  description: "The secret URL is its own credential, for calendar clients that cannot sign in.",
                  access: .open, .calendar(200, "The feed as iCalendar."),
                  errors: [404: "No such feed: the token is unknown or was replaced, or its owner is deactivated (`not_found`)."]),
        Operation(.get, "/api/v1/bookings/{id}/ics", "getBookingCalendarFile", "A booking as an iCalendar file",
                  .calendar(200, "The booking as iCalendar."), errors: [404: notFound("booking")]),
    ]

    private static let realtimeOperations: [Operation] = [
        Operation(.get, "/api/v1/ws", "openLiveUpdates", "Open the live-update WebSocket",
                  description: """
                      Upgrade with the session cookie (from this server's own pages: the `Origin` must be this server) or \
                      a personal access token. Send `{"type":"subscribe","topic":"room:<id>"}` (also `location:<id>` and \
                      `me`), `{"type":"unsubscribe","topic":…}` and `{"type":"ping"}`; the server answers `subscribed`, \
                      `unsubscribed`, `pong`, or `{"type":"error","code":…,"topic":…}` (`not_found` for a place the caller \
                      may not see, `bad_topic`, `bad_message`, `too_many_subscriptions`). Events carry `type` and `topic`: \
                      `booking.created|changed|cancelled|released` (`booking`, and `previous` for a move; the booker only \
                      where the location's privacy setting allows), `hold.acquired|refreshed|released|expired` (`hold`), \
                      `room.maintenance`, `desk.permanent`, `desk.status` (`status` now), and on location topics \
                      `availability` (a room's free-desk counts for one `date`) and `round.committed` (`round_id`, `date`: \
                      the day is open to first come); on `me` also `request.updated` (`request`), `autopilot.rule` (`rule`: \
                      a rule's new status and reason) and `autopilot.log` (`entry`). `mine` tells whether it is the reader's \
                      own. The server pings; a socket that answers nothing for the idle timeout is closed, a client that \
                      leaves too many frames unread is disconnected (1013), and shutdown closes sockets with 1001.
                      """,
                  .empty(101, "Switching to the WebSocket protocol."),
                  errors: [400: "The request is not a WebSocket upgrade (`upgrade_required`).",
                           403: "A session cookie sent from another site's page (`origin_not_allowed`)."]),
    ]

    private static let auditOperations: [Operation] = [
        Operation(.get, "/api/v1/audit", "listAuditEntries", "Read the audit log",
                  description: "Newest first. Superusers see every entry; managers of locations see the entries of their locations.",
                  parameters: [
                      Parameter.query("action", Schema.string,
                                      "A full action such as `booking.created`, or its first part (`booking`) for all of its kind."),
                      Parameter.query("user_id", Schema.uuid, "Only entries by or about this user."),
                      Parameter.query("location_id", Schema.uuid, "Only entries of this location."),
                      Parameter.query("from", Schema.timestamp, "Only entries at or after this instant."),
                      Parameter.query("to", Schema.timestamp, "Only entries before this instant."),
                  ] + Parameter.paging,
                  .json(200, "One page of entries.", Schema.ref("AuditPage")),
                  errors: [400: "`from` or `to` is not a timestamp with a zone (`invalid_timestamp`), or a filter is malformed (`invalid_body`).",
                           403: "Only superusers and location managers, and managers only for their own locations (`forbidden`).",
                           422: "An invalid `limit` or `cursor` (`validation_failed`)."]),
    ]

    private static let ownRuleOnly = "No such rule of the caller (`not_found`)."

    private static let autopilotOperations: [Operation] = [
        Operation(.get, "/api/v1/me/autopilot", "getMyAutopilot", "The caller's autopilot at a glance",
                  .json(200, "Rules with counters, the caller's limit, the latest log entries and requests.", Schema.ref("AutopilotOverview"))),
        Operation(.get, "/api/v1/me/autopilot/rules", "listMyRules", "The caller's rules",
                  .json(200, "Oldest first, each with its counters.", Schema.array(Schema.ref("AutopilotRule")))),
        Operation(.post, "/api/v1/me/autopilot/rules", "createRule", "Create a rule",
                  description: """
                      A `book` rule files requests, as the caller, for every day it targets from today to the next day to \
                      open: days already open take a free matching desk at once or wait on the waitlist; the next day to \
                      open waits for its round. Each time a day opens it asks for the new one. A `watch` rule only tells the \
                      caller (log and notification) when a matching desk they could book comes free on a day it targets.
                      """,
                  body: .json("AutopilotRuleInput"),
                  .json(201, "The rule, active.", Schema.ref("AutopilotRule")),
                  errors: [404: notFound("location"),
                           409: """
                               The caller has as many rules as their limit allows (`rule_limit_reached`), or the server keeps its \
                               most rules (`server_rule_limit_reached`).
                               """,
                           422: """
                               Invalid fields; `errors` names them: no weekday or extra date, a weekday outside 1–7, a window \
                               outside the bookable hours, desks, rooms or floors not of the location or not open to the caller \
                               (`validation_failed`).
                               """]),
        Operation(.get, "/api/v1/me/autopilot/rules/{id}", "getRule", "Read one of the caller's rules",
                  .json(200, "The rule with its counters.", Schema.ref("AutopilotRule")), errors: [404: ownRuleOnly]),
        Operation(.patch, "/api/v1/me/autopilot/rules/{id}", "updateRule", "Change one of the caller's rules",
                  description: """
                      Absent fields stay as they are. A change of what the rule asks for takes back its waiting requests \
                      (`withdrawn`) and files them again; a rule stopped by an error is active again.
                      """,
                  body: .json("AutopilotRuleInput"),
                  .json(200, "The changed rule.", Schema.ref("AutopilotRule")),
                  errors: [404: ownRuleOnly, 422: invalidFields]),
        Operation(.delete, "/api/v1/me/autopilot/rules/{id}", "deleteRule", "Delete one of the caller's rules",
                  description: "Its waiting requests are withdrawn; desks it booked stay booked, and its history stays.",
                  .empty(204, "Deleted."), errors: [404: ownRuleOnly]),
        Operation(.post, "/api/v1/me/autopilot/rules/{id}/pause", "pauseRule", "Pause one of the caller's rules",
                  description: "It does nothing until resumed; its waiting requests are withdrawn.",
                  .json(200, "The rule, `paused`.", Schema.ref("AutopilotRule")),
                  errors: [404: ownRuleOnly, 409: "An administrator suspended the rule (`rule_suspended`)."]),
        Operation(.post, "/api/v1/me/autopilot/rules/{id}/resume", "resumeRule", "Resume one of the caller's rules",
                  description: "A paused rule, or one stopped by an error, is active again and files what it targets.",
                  .json(200, "The rule, `active`.", Schema.ref("AutopilotRule")),
                  errors: [404: ownRuleOnly, 409: "An administrator suspended the rule; only they resume it (`rule_suspended`)."]),
        Operation(.get, "/api/v1/me/autopilot/log", "getAutopilotLog", "The caller's autopilot activity log",
                  description: """
                      The newest \(AutopilotService.logLength) entries, newest first. New entries also arrive live as \
                      `autopilot.log` on the `me` topic of the WebSocket.
                      """,
                  .json(200, "Log entries.", Schema.array(Schema.ref("AutopilotLogEntry")))),
        Operation(.get, "/api/v1/me/autopilot/history", "getAutopilotHistory", "Every request the caller's rules filed",
                  parameters: [Parameter.query("rule_id", Schema.uuid, "Only requests of this rule.")] + Parameter.paging,
                  .json(200, "Newest first, with each request's outcome and reason.", Schema.ref("AllocationRequestPage")),
                  errors: [400: "`rule_id` is not a UUID (`invalid_body`).", 422: "An invalid `limit` or `cursor` (`validation_failed`)."]),
        Operation(.get, "/api/v1/admin/autopilot/rules", "listAllRules", "Every person's rules",
                  parameters: [
                      Parameter.query("status", Schema.enumeration(RuleStatus.allCases.map(\.rawValue)), "Only rules with this status."),
                      Parameter.query("mode", Schema.enumeration(RuleMode.allCases.map(\.rawValue)), "Only rules in this mode."),
                      Parameter.query("user_id", Schema.uuid, "Only this person's rules."),
                      Parameter.query("location_id", Schema.uuid, "Only rules for this location."),
                  ] + Parameter.paging,
                  .json(200, "One page of rules, newest first (without counters).", Schema.ref("AutopilotRulePage")),
                  errors: [400: "A filter is malformed (`invalid_body`).", 403: superuserOnly,
                           422: "An invalid `status`, `mode`, `limit` or `cursor` (`validation_failed`)."]),
        Operation(.post, "/api/v1/admin/autopilot/rules/{id}/suspend", "suspendRule", "Suspend someone's rule",
                  description: "The rule stops and its waiting requests are withdrawn; its owner sees the reason and cannot resume it.",
                  body: .json("SuspendInput"),
                  .json(200, "The rule, `suspended`.", Schema.ref("AutopilotRule")),
                  errors: [403: superuserOnly, 404: "No such rule (`not_found`).", 422: invalidFields]),
        Operation(.post, "/api/v1/admin/autopilot/rules/{id}/resume", "resumeSuspendedRule", "Lift a suspension",
                  .json(200, "The rule, `active`.", Schema.ref("AutopilotRule")),
                  errors: [403: superuserOnly, 404: "No such rule (`not_found`).",
                           409: "The rule is not suspended; its owner pauses and resumes it (`rule_not_suspended`)."]),
        Operation(.put, "/api/v1/admin/users/{id}/limits", "setRuleLimit", "Set how many rules a person may have",
                  body: .json("RuleLimitInput"),
                  .json(200, "The person's limit now.", Schema.ref("RuleLimit")),
                  errors: [403: superuserOnly, 404: "No such user (`not_found`).", 422: invalidFields]),
        Operation(.get, "/api/v1/admin/users/{id}/autopilot", "inspectAutopilot", "Look at a person's autopilot",
                  description: "What the person sees of their own autopilot. Every look is recorded in the audit log (`autopilot.viewed`).",
                  .json(200, "Their rules, limit, latest log entries and requests.", Schema.ref("AutopilotOverview")),
                  errors: [403: superuserOnly, 404: "No such user (`not_found`)."]),
        Operation(.get, "/api/v1/admin/stats", "getAutopilotStats", "Autopilot and allocation numbers",
                  .json(200, "Users with active rules, rules by status and mode, requests per day, recent rounds and waitlists.",
                        Schema.ref("AutopilotStats")),
                  errors: [403: superuserOnly]),
    ]

    private static let superuserOnly = "Only superusers may do this (`forbidden`)."
    private static let invalidFields = "Invalid or missing fields; `errors` names them (`validation_failed`)."
    private static let groupManagersOnly = "Only managers of the location and room managers in it (`forbidden`)."
    private static let memberEditorsOnly = """
        Only managers of the location, and room managers in it where the location allows them to add members (`forbidden`).
        """
    private static let bookingConflicts = """
        The desk is taken at that time (`desk_taken`, with the colliding `conflicts`), the person has overlapping \
        bookings (`concurrent_limit`) or too many upcoming ones (`quota_exceeded`), the day's allocation round has not \
        run yet (`round_pending`)
        """
    private static let deskHeld = "Someone else holds the desk (`desk_held`); retry after `Retry-After` seconds."
    private static let bookingRules = """
        Invalid fields (`validation_failed`), or the time breaks the location's policy: in the past (`in_the_past`), \
        not on the granularity (`not_aligned`), outside the bookable hours (`outside_bookable_hours`), too far ahead \
        (`outside_window`) or too short or long (`invalid_duration`).
        """

    private static func notFound(_ noun: String) -> String {
        "No such \(noun), or the caller may not see it (`not_found`)."
    }

    private static func managersOnly(_ place: String) -> String {
        place == "room"
            ? "Only managers of the room or of its location may do this (`forbidden`)."
            : "Only managers of the \(place) may do this (`forbidden`)."
    }
}

// MARK: - Paths

extension OpenAPIDocument {
    private static var paths: JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations {
            precondition(paths[operation.path]?[operation.method.rawValue] == nil, "\(operation.method) \(operation.path) twice")
            paths[operation.path, default: [:]][operation.method.rawValue] = object(for: operation)
        }
        return .object(paths.mapValues { .object($0) })
    }

    private static func object(for operation: Operation) -> JSONValue {
        var fields: [String: JSONValue] = [
            "operationId": .string(operation.id),
            "summary": .string(operation.summary),
            "tags": [.string(operation.tag.rawValue)],
        ]
        if let description = operation.description { fields["description"] = .string(description) }
        let parameters = Parameter.path(in: operation.path) + operation.parameters
        if !parameters.isEmpty { fields["parameters"] = .array(parameters) }
        switch operation.body {
        case .json(let schema)?:
            fields["requestBody"] = ["required": true, "content": ["application/json": ["schema": Schema.ref(schema)]]]
        case .image?:
            fields["requestBody"] = [
                "required": true,
                "description": "The image bytes; the type is recognised from the bytes themselves.",
                "content": imageContent,
            ]
        case nil:
            break
        }
        switch (operation.access, operation.isUnsafe) {
        case (.open, _): fields["security"] = []
        case (.signedIn, false): break
        case (.signedIn, true): fields["security"] = [["bearerToken": []], ["sessionCookie": [], "csrfToken": []]]
        case (.beacon, _):
            fields["security"] = [["bearerToken": []], ["sessionCookie": [], "csrfToken": []], ["sessionCookie": [], "csrfQuery": []]]
        }
        fields["responses"] = responses(for: operation)
        return .object(fields)
    }

    /// Room maps: the types `RoomMapService` recognises.
    private static let imageContent: JSONValue = [
        "image/png": [:], "image/jpeg": [:], "image/webp": [:], "image/svg+xml": [:],
    ]

    private static func responses(for operation: Operation) -> JSONValue {
        var responses: [String: JSONValue] = [:]
        let successes: [Int: [String: JSONValue]]
        switch operation.success {
        case .json(let code, let description, let schema):
            successes = [code: ["description": .string(description), "content": ["application/json": ["schema": schema]]]]
        case .jsonByStatus(let descriptions, let schema):
            successes = descriptions.mapValues { description -> [String: JSONValue] in
                ["description": .string(description), "content": ["application/json": ["schema": schema]]]
            }
        case .image(let code, let description):
            successes = [code: ["description": .string(description), "content": imageContent]]
        case .calendar(let code, let description):
            successes = [code: ["description": .string(description), "content": ["text/calendar": ["schema": Schema.string]]]]
        case .text(let code, let description):
            successes = [code: ["description": .string(description), "content": ["text/plain": ["schema": Schema.string]]]]
        case .empty(let code, let description):
            successes = [code: ["description": .string(description)]]
        }
        for (status, var success) in successes {
            if !operation.successHeaders.isEmpty { success["headers"] = .object(operation.successHeaders) }
            responses[String(status)] = .object(success)
        }

        var errors = operation.errors
        func add(_ code: Int, _ text: String) {
            errors[code] = errors[code].map { "\($0) \(text)" } ?? text
        }
        switch operation.body {
        case .json?:
            add(400, "The body is not JSON of the expected shape (`invalid_body`).")
            if errors[422] == nil {
                add(422, "A required field is missing, a field is `null` where the schema does not allow it, or a field is invalid; `errors` names them (`validation_failed`).")
            }
            add(415, "The body is not sent as `application/json` (`unsupported_media_type`).")
            add(413, "The body is larger than \(Request.maximumJSONBytes / 1024) KB (`payload_too_large`).")
        case .image?:
            add(413, "The image is larger than \(RoomMapService.maximumBytes / 1024 / 1024) MB (`payload_too_large`).")
        case nil:
            break
        }
        // Query strings are decoded as a whole: a malformed one (a number that is not one, a key given as a list or
        // object) fails before any parameter is looked at.
        let hasQuery = operation.parameters.contains { parameter in
            if case .object(let fields) = parameter, case .string("query")? = fields["in"] { true } else { false }
        }
        if hasQuery, errors[400]?.contains("malformed") != true {
            add(400, "A query parameter is malformed, such as a `limit` that is not a number (`invalid_body`).")
        }
        if operation.access == .open, operation.path.hasPrefix("/api/v1/") {
            // Credentials are optional here, but ones that are sent are checked like anywhere in the API.
            add(401, "A bearer token was sent and is invalid or revoked (`invalid_token`).")
            if operation.isUnsafe { add(403, "A bearer token was sent without the `write` scope (`insufficient_scope`).") }
        }
        if operation.access != .open {
            add(401, "Not signed in, or the token or session is invalid or expired (`unauthenticated`, `invalid_token`).")
            if operation.isUnsafe {
                let echo = operation.access == .beacon ? "`X-CSRF-Token` or the `csrf_token` query parameter" : "`X-CSRF-Token`"
                add(403, """
                    With the session cookie, \(echo) must echo the `\(SessionCookie.csrf)` cookie (`csrf_failed`); \
                    a personal access token needs the `write` scope (`insufficient_scope`).
                    """)
            }
        }
        for (status, description) in errors {
            var response: [String: JSONValue] = [
                "description": .string(description),
                "content": ["application/problem+json": ["schema": Schema.ref("Problem")]],
            ]
            if operation.retryAfter.contains(status) {
                response["headers"] = ["Retry-After": ["description": "Seconds to wait before trying again.", "schema": Schema.integer]]
            }
            responses[String(status)] = .object(response)
        }
        return .object(responses)
    }
}

// MARK: - Parameters

extension OpenAPIDocument {
    private enum Parameter {
        /// The `{name}` parameters of a path template, all UUIDs.
        static func path(in template: String) -> [JSONValue] {
            let segments = template.split(separator: "/").map(String.init)
            return segments.indices.compactMap { index -> JSONValue? in
                let segment = segments[index]
                guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return nil }
                let name = String(segment.dropFirst().dropLast())
                guard name != "file" else {
                    return [
                        "name": "file", "in": "path", "required": true, "schema": Schema.string.with("pattern", "^[A-Za-z0-9_-]+\\.ics$"),
                        "description": "The feed's secret token followed by `.ics`, as in the URL from `POST /api/v1/me/calendar-feed`.",
                    ]
                }
                let noun = name == "user_id" ? "user" : nouns[segments[index - 1]] ?? "resource"
                return [
                    "name": .string(name), "in": "path", "required": true,
                    "description": .string("The \(noun)'s id."), "schema": Schema.uuid,
                ]
            }
        }

        private static let nouns = [
            "tokens": "token", "users": "user", "countries": "country", "locations": "location", "floors": "floor",
            "rooms": "room", "desks": "desk", "groups": "group", "bookings": "booking", "requests": "request", "rules": "rule",
        ]

        static func query(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
            ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema]
        }

        static let paging: [JSONValue] = [
            query("limit", Schema.integer(min: 1, max: Pagination.maximumLimit)
                    .with("default", .integer(Pagination.defaultLimit)), "Page size."),
            query("cursor", Schema.string, "The `next_cursor` of the previous page."),
        ]

        static func refreshCookie(required: Bool) -> JSONValue {
            ["name": .string(SessionCookie.refresh), "in": "cookie", "required": .bool(required), "schema": Schema.string,
             "description": "The refresh token set at sign-in (sent by the browser to `/api/v1/auth` only)."]
        }

        static func csrfHeader(required: Bool) -> JSONValue {
            ["name": .string(SessionCookie.csrfHeader), "in": "header", "required": .bool(required), "schema": Schema.string,
             "description": .string("Echo of the `\(SessionCookie.csrf)` cookie\(required ? "" : "; required when only the refresh cookie identifies the session").")]
        }
    }
}

// MARK: - Schemas

extension OpenAPIDocument {
    private enum Schema {
        static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

        static let string: JSONValue = ["type": "string"]
        static let integer: JSONValue = ["type": "integer"]
        static let number: JSONValue = ["type": "number"]
        static let boolean: JSONValue = ["type": "boolean"]
        static let uuid: JSONValue = ["type": "string", "format": "uuid"]
        static let timestamp: JSONValue = ["type": "string", "format": "date-time", "examples": ["2026-03-29T09:00:00Z"]]
        static let email: JSONValue = ["type": "string", "format": "email", "maxLength": 254]
        static let date: JSONValue = ["type": "string", "format": "date", "examples": ["2026-03-29"]]
        static let localTime: JSONValue = [
            "type": "string", "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", "examples": ["09:00"],
            "description": "A local time of day, `HH:mm`; `24:00` is the end of the day.",
        ]

        static func string(min: Int, max: Int) -> JSONValue { ["type": "string", "minLength": .integer(min), "maxLength": .integer(max)] }
        static func integer(min: Int, max: Int) -> JSONValue { ["type": "integer", "minimum": .integer(min), "maximum": .integer(max)] }
        static func number(min: Int, max: Int) -> JSONValue { ["type": "number", "minimum": .integer(min), "maximum": .integer(max)] }
        static func enumeration(_ values: [String]) -> JSONValue { ["type": "string", "enum": .array(values.map(JSONValue.string))] }
        static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

        /// This schema, or JSON `null`.
        static func nullable(_ schema: JSONValue) -> JSONValue {
            guard case .object(let fields) = schema, case .string(let type)? = fields["type"] else { preconditionFailure("needs one type") }
            var nullable = schema.with("type", [.string(type), "null"])
            // An `enum` must list `null` too, or it still refuses it.
            if case .array(let values)? = fields["enum"] { nullable = nullable.with("enum", .array(values + [.null])) }
            return nullable
        }

        static func object(_ properties: [String: JSONValue], required: [String] = [], description: String? = nil) -> JSONValue {
            var fields: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
            if !required.isEmpty { fields["required"] = .array(required.map(JSONValue.string)) }
            if let description { fields["description"] = .string(description) }
            return .object(fields)
        }

        static func page(of item: String) -> JSONValue {
            object(["items": array(ref(item)),
                    "next_cursor": string.described("Pass as `cursor` for the next page; absent on the last page.")],
                   required: ["items"], description: "One page of a list.")
        }
    }

    private static var schemas: [String: JSONValue] {
        var schemas: [String: JSONValue] = [:]
        let name = Schema.string(min: 1, max: 100)
        let password = Schema.string(min: PasswordHasher.minimumLength, max: PasswordHasher.maximumLength)
            .described("\(PasswordHasher.minimumLength) to \(PasswordHasher.maximumLength) bytes.")
        let username = Schema.string(min: 3, max: 64).with("pattern", "^[a-z0-9._-]+$")
            .described("Lower-case letters, digits, `.`, `_` and `-`.")
        let latitude = Schema.number(min: -90, max: 90)
        let longitude = Schema.number(min: -180, max: 180)
        let orientation = Schema.enumeration(PlaceService.orientations.sorted())
        let tags = Schema.array(Schema.string(min: 1, max: 30).with("pattern", "^[a-z0-9-]+$")).with("maxItems", 20)
        let scopes = Schema.array(Schema.enumeration(SessionService.tokenScopes.sorted())).with("minItems", 1)
        let intervals = Schema.array(Schema.ref("Interval")).with("maxItems", .integer(BookingService.maximumIntervals))

        // Common answers
        schemas["Health"] = Schema.object(["status": Schema.string], required: ["status"])
        schemas["FieldError"] = Schema.object(
            ["field": Schema.string.described("The JSON key, snake_case."), "message": Schema.string],
            required: ["field", "message"], description: "One invalid field and why.")
        schemas["Interval"] = Schema.object(["start": Schema.timestamp, "end": Schema.timestamp], required: ["start", "end"])
        schemas["Problem"] = Schema.object(
            [
                "type": Schema.string.described("`urn:deskpilot:problem:` followed by `code`."),
                "title": Schema.string.described("The HTTP reason phrase."),
                "status": Schema.integer,
                "detail": Schema.string.described("A human-readable explanation."),
                "code": Schema.string.described("A stable machine code such as `not_found`, `desk_taken` or `validation_failed`."),
                "instance": Schema.string.described("The request path."),
                "request_id": Schema.string,
                "errors": Schema.array(Schema.ref("FieldError")).described("With `validation_failed`: the invalid fields."),
                "conflicts": Schema.array(Schema.ref("Interval"))
                    .described("With `desk_taken`, and with a refused atomic bulk request: the colliding bookings' times."),
                "intervals": Schema.array(Schema.ref("BulkInterval"))
                    .described("With a refused atomic bulk request: what became of each interval, in request order."),
            ],
            required: ["type", "title", "status", "detail", "code"], description: "An RFC 9457 problem document.")

        // Accounts
        schemas["User"] = Schema.object(
            [
                "id": Schema.uuid, "username": Schema.string, "display_name": Schema.string,
                "email": Schema.email.described("Shown to superusers, managers and the user themselves only."),
                "is_superuser": Schema.boolean, "is_active": Schema.boolean, "created_at": Schema.timestamp,
            ],
            required: ["id", "username", "display_name", "is_superuser", "is_active", "created_at"])
        schemas["UserPage"] = Schema.page(of: "User")
        schemas["Me"] = Schema.object(
            [
                "user": Schema.ref("User"),
                "group_ids": Schema.array(Schema.uuid), "managed_location_ids": Schema.array(Schema.uuid),
                "managed_room_ids": Schema.array(Schema.uuid),
            ],
            required: ["user", "group_ids", "managed_location_ids", "managed_room_ids"])
        schemas["Session"] = Schema.object(
            [
                "user": Schema.ref("User"),
                "csrf_token": Schema.string.described("Echo in `X-CSRF-Token` on unsafe requests (also the `\(SessionCookie.csrf)` cookie)."),
                "access_expires_in": Schema.integer.described("Seconds until the access cookie expires; renew with `/api/v1/auth/refresh`."),
            ],
            required: ["user", "csrf_token", "access_expires_in"])
        schemas["Token"] = Schema.object(
            [
                "id": Schema.uuid, "name": Schema.string, "scopes": scopes, "created_at": Schema.timestamp,
                "last_used_at": Schema.timestamp.described("Updated at most hourly."),
                "token": Schema.string.with("pattern", "^dp_").described("The secret; present only when the token is created."),
            ],
            required: ["id", "name", "scopes", "created_at"], description: "A personal access token.")
        schemas["LoginRequest"] = Schema.object(
            ["username": Schema.string.with("maxLength", 256), "password": Schema.string.with("maxLength", 1024)],
            required: ["username", "password"])
        schemas["PasswordChange"] = Schema.object(
            ["current_password": Schema.string, "new_password": Schema.string.with("minLength", .integer(PasswordHasher.minimumLength))],
            required: ["current_password", "new_password"])
        schemas["RegisterRequest"] = Schema.object(
            ["username": username, "email": Schema.email, "password": password, "display_name": name],
            required: ["username", "email", "password", "display_name"])
        schemas["TokenRequest"] = Schema.object(
            ["name": name, "scopes": scopes.described("A personal access token cannot grant scopes it lacks itself.")],
            required: ["name", "scopes"])
        schemas["CreateUser"] = Schema.object(
            ["username": username, "email": Schema.email, "password": password, "display_name": name,
             "is_superuser": Schema.boolean.with("default", false)],
            required: ["username", "email", "password", "display_name"])
        schemas["PatchUser"] = Schema.object(
            ["email": Schema.email, "display_name": name,
             "password": password.described("A new password; ends the user's sessions."),
             "is_superuser": Schema.boolean, "is_active": Schema.boolean.described("`false` ends the user's sessions.")],
            description: "Only the fields sent change.")
        schemas["Preferences"] = Schema.object(preferenceProperties, required: preferenceProperties.keys.sorted(),
                                               description: "Every field is always present; `timezone` and `default_location_id` are `null` when unset.")
        schemas["PatchPreferences"] = Schema.object(
            preferenceProperties, description: "Only the fields sent change; `null` clears `timezone` or `default_location_id`.")
        schemas["Stats"] = Schema.object(
            [
                "timezone": Schema.string.described("The IANA time zone the weeks and months are counted in."),
                "active_now": Schema.ref("ActiveBooking").described("The booking going on now, if any."),
                "next_booking": Schema.ref("NextBooking").described("The next booking to start, if any."),
                "hours_this_week": Schema.number.described("Booked hours in this local week, Monday to Sunday."),
                "hours_this_month": Schema.number.described("Booked hours in this local month."),
                "upcoming_count": Schema.integer.described("Bookings that have not ended."),
                "favourite_location": Schema.ref("NamedRef").described("The location booked most often in the last 30 days, if any."),
                "favourite_desk": Schema.ref("NamedRef").described("The desk booked most often in the last 30 days, if any."),
                "busiest_weekday": Schema.integer(min: 1, max: 7)
                    .described("The ISO weekday (1 = Monday) booked most often in the last 30 days, if any."),
            ],
            required: ["timezone", "hours_this_week", "hours_this_month", "upcoming_count"])
        schemas["ActiveBooking"] = Schema.object(
            ["booking_id": Schema.uuid, "ends_at": Schema.timestamp, "seconds_left": Schema.integer],
            required: ["booking_id", "ends_at", "seconds_left"])
        schemas["NextBooking"] = Schema.object(
            ["booking_id": Schema.uuid, "desk_id": Schema.uuid, "desk_name": Schema.string, "start": Schema.timestamp, "end": Schema.timestamp],
            required: ["booking_id", "desk_id", "desk_name", "start", "end"])
        schemas["NamedRef"] = Schema.object(["id": Schema.uuid, "name": Schema.string], required: ["id", "name"])
        schemas["Notification"] = Schema.object(
            [
                "id": Schema.uuid,
                "kind": Schema.string.described("Such as `room_maintenance`, `booking_released` or `desk_assigned`."),
                "message": Schema.string, "booking_id": Schema.uuid.described("The booking it is about, if any."),
                "created_at": Schema.timestamp,
            ],
            required: ["id", "kind", "message", "created_at"])

        // Places
        schemas["Country"] = Schema.object(
            ["id": Schema.uuid, "name": Schema.string, "code": Schema.string.with("pattern", "^[A-Z]{2}$"),
             "lat": latitude, "lng": longitude],
            required: ["id", "name", "code"])
        schemas["CountryInput"] = Schema.object(
            ["name": name, "code": Schema.string.with("pattern", "^[A-Za-z]{2}$").described("ISO 3166-1 alpha-2, such as `DE`."),
             "lat": latitude, "lng": longitude],
            description: "`name` and `code` are required to create; to change, send only the fields that change.")
        schemas["Location"] = Schema.object(
            [
                "id": Schema.uuid, "country_id": Schema.uuid, "name": Schema.string, "address": Schema.string,
                "timezone": Schema.string.described("IANA time zone, such as `Europe/Berlin`."),
                "lat": latitude, "lng": longitude,
                "room_managers_add_members": Schema.boolean.described("Whether room managers may add group members."),
                "policy": Schema.ref("Policy").described("The effective policy: global defaults with this location's overrides."),
                "policy_overrides": Schema.ref("PolicyOverrides"),
            ],
            required: ["id", "country_id", "name", "address", "timezone", "room_managers_add_members", "policy", "policy_overrides"])
        schemas["LocationInput"] = Schema.object(
            [
                "country_id": Schema.uuid.described("Only superusers move a location to another country."),
                "name": name, "address": Schema.string.with("maxLength", 500),
                "timezone": Schema.string.described("IANA time zone, such as `Europe/Berlin`."),
                "lat": latitude, "lng": longitude, "room_managers_add_members": Schema.boolean,
            ],
            description: "`country_id`, `name` and `timezone` are required to create; to change, send only the fields that change.")
        schemas["Policy"] = Schema.object(policyProperties, required: policyProperties.keys.sorted(),
                                          description: "The booking rules of a location.")
        schemas["PolicyOverrides"] = Schema.object(
            policyProperties, description: "The policy fields a location sets itself; the others come from the global defaults.")
        schemas["PolicyPatch"] = Schema.object(
            policyProperties.mapValues(Schema.nullable),
            description: "A field sent replaces the location's override; `null` puts it back on the global default; a field left out keeps its override.")
        schemas["Floor"] = Schema.object(
            ["id": Schema.uuid, "location_id": Schema.uuid, "name": Schema.string, "level": Schema.integer],
            required: ["id", "location_id", "name", "level"])
        schemas["FloorInput"] = Schema.object(
            ["name": name, "level": Schema.integer(min: -100, max: 500).with("default", 0)],
            description: "`name` is required to create; to change, send only the fields that change.")
        schemas["Room"] = Schema.object(
            [
                "id": Schema.uuid, "floor_id": Schema.uuid, "location_id": Schema.uuid, "name": Schema.string,
                "description": Schema.string, "under_maintenance": Schema.boolean, "maintenance_reason": Schema.string,
            ],
            required: ["id", "floor_id", "location_id", "name", "description", "under_maintenance"])
        schemas["MaintenanceInput"] = Schema.object(
            ["reason": Schema.string(min: 1, max: MaintenanceService.maximumReasonLength).described("Shown to everyone who sees the room.")],
            required: ["reason"])
        schemas["Maintenance"] = Schema.object(
            ["room": Schema.ref("Room"), "affected_bookings": Schema.array(Schema.ref("Booking"))],
            required: ["room", "affected_bookings"])
        schemas["RoomInput"] = Schema.object(
            ["name": name, "description": Schema.string.with("maxLength", 2000)],
            description: "`name` is required to create; to change, send only the fields that change.")
        schemas["Desk"] = Schema.object(
            [
                "id": Schema.uuid, "room_id": Schema.uuid, "location_id": Schema.uuid, "name": Schema.string,
                "x": Schema.number(min: 0, max: 1).described("Position on the room map, a fraction of its width."),
                "y": Schema.number(min: 0, max: 1).described("Position on the room map, a fraction of its height."),
                "orientation": orientation, "tags": Schema.array(Schema.string),
                "permanent_user_id": Schema.uuid.described("The only person who may book this desk, if any."),
                "is_active": Schema.boolean,
            ],
            required: ["id", "room_id", "location_id", "name", "x", "y", "orientation", "tags", "is_active"])
        schemas["DeskInput"] = Schema.object(
            [
                "name": Schema.string(min: 1, max: 50), "x": Schema.number(min: 0, max: 1), "y": Schema.number(min: 0, max: 1),
                "orientation": orientation, "tags": tags, "is_active": Schema.boolean,
            ],
            description: "`name` is required to create; to change, send only the fields that change.")

        // Access
        schemas["Group"] = Schema.object(
            ["id": Schema.uuid, "location_id": Schema.uuid, "name": Schema.string, "description": Schema.string],
            required: ["id", "location_id", "name", "description"])
        schemas["GroupInput"] = Schema.object(
            ["name": name, "description": Schema.string.with("maxLength", 1000)],
            description: "`name` is required to create; to change, send only the fields that change.")
        schemas["Gate"] = Schema.object(
            ["group_ids": Schema.array(Schema.uuid).described("Groups of the location whose members may see the place; empty for everyone.")],
            required: ["group_ids"])
        schemas["PermanentInput"] = Schema.object(["user_id": Schema.uuid], required: ["user_id"])

        // Bookings
        schemas["Booker"] = Schema.object(["username": Schema.string, "display_name": Schema.string],
                                          required: ["username", "display_name"])
        schemas["Booking"] = Schema.object(
            [
                "id": Schema.uuid, "desk_id": Schema.uuid, "desk_name": Schema.string, "room_id": Schema.uuid,
                "location_id": Schema.uuid,
                "user_id": Schema.uuid.described("Absent where the location hides who booked."),
                "user": Schema.ref("Booker").described("Absent where the location hides who booked."),
                "start": Schema.timestamp, "end": Schema.timestamp,
                "status": Schema.enumeration(["confirmed", "cancelled", "released"]),
                "source": Schema.enumeration(["web", "api", "autopilot", "chat", "admin"]),
                "created_by": Schema.uuid.described("Absent where the location hides who booked."),
                "created_at": Schema.timestamp, "updated_at": Schema.timestamp, "checked_in_at": Schema.timestamp,
                "note": Schema.string.described("Only for the booking's owner and the managers of its room."),
                "is_mine": Schema.boolean,
            ],
            required: ["id", "desk_id", "desk_name", "room_id", "location_id", "start", "end", "status", "source",
                       "created_at", "updated_at", "is_mine"])
        schemas["BookingPage"] = Schema.page(of: "Booking")
        schemas["CreateBooking"] = Schema.object(
            [
                "desk_id": Schema.uuid, "start": Schema.timestamp, "end": Schema.timestamp,
                "note": Schema.string.with("maxLength", .integer(BookingService.maxNoteLength)),
                "user_id": Schema.uuid.described("Book for this person instead (managers of the desk's room only)."),
            ],
            required: ["desk_id", "start", "end"])
        schemas["PatchBooking"] = Schema.object(
            [
                "start": Schema.timestamp.described("Send together with `end`."), "end": Schema.timestamp.described("Send together with `start`."),
                "note": Schema.string.with("maxLength", .integer(BookingService.maxNoteLength)),
            ],
            description: "Only the fields sent change.")
        schemas["BulkBookingRequest"] = Schema.object(
            [
                "desk_id": Schema.uuid,
                "intervals": intervals.with("minItems", 1).described("Intervals that do not overlap each other."),
                "atomic": Schema.boolean.with("default", false).described("Book all intervals or none."),
                "note": Schema.string.with("maxLength", .integer(BookingService.maxNoteLength)),
                "user_id": Schema.uuid.described("Book for this person instead (managers of the desk's room only)."),
            ],
            required: ["desk_id", "intervals"])
        schemas["BulkResult"] = Schema.object(
            ["created": Schema.integer, "failed": Schema.integer, "intervals": Schema.array(Schema.ref("BulkInterval"))],
            required: ["created", "failed", "intervals"])
        schemas["BulkInterval"] = Schema.object(
            [
                "start": Schema.timestamp, "end": Schema.timestamp, "status": Schema.enumeration(["created", "failed"]),
                "booking": Schema.ref("Booking").described("With `created`: the new booking."),
                "error": Schema.ref("ErrorSummary")
                    .described("With `failed`: why, such as `desk_taken`, or `not_attempted` in an atomic request."),
                "conflicts": Schema.array(Schema.ref("Interval")).described("The colliding bookings' times."),
                "conflicting_days": Schema.array(Schema.date).described("The local days of the colliding bookings."),
            ],
            required: ["start", "end", "status", "conflicts", "conflicting_days"],
            description: "One interval of a bulk request and what became of it.")
        schemas["ErrorSummary"] = Schema.object(["code": Schema.string, "detail": Schema.string], required: ["code", "detail"])
        schemas["ReplaceIntervals"] = Schema.object(
            ["intervals": intervals.described("The booking's new intervals; touching and overlapping ones are merged, an empty list cancels it.")],
            required: ["intervals"])
        schemas["IntervalChange"] = Schema.object(
            [
                "updated": Schema.array(Schema.uuid).described("The booking itself, when it keeps an interval."),
                "created": Schema.array(Schema.uuid).described("New bookings for the other intervals."),
                "cancelled": Schema.array(Schema.uuid)
                    .described("The owner's bookings of the desk that the intervals absorbed, and the booking itself when none kept it."),
                "bookings": Schema.array(Schema.ref("Booking")).described("The resulting bookings of this change, by start."),
            ],
            required: ["updated", "created", "cancelled", "bookings"])

        // Requests and rounds
        schemas["DayWindow"] = Schema.object(
            ["from": Schema.localTime, "until": Schema.localTime.described("After `from`.")], required: ["from", "until"],
            description: "Local times of day; the booking is cut to the location's bookable hours and granularity.")
        schemas["AllocationRequestInput"] = Schema.object(
            [
                "location_id": Schema.uuid, "date": Schema.date.described("The local day."),
                "desk_ids": Schema.array(Schema.uuid).with("maxItems", .integer(AllocationService.maximumPreferences))
                    .described("Desks of the location in order of preference, best first."),
                "tags": Schema.array(Schema.string).with("maxItems", 20).described("Tags a desk must all have (compared in lower case)."),
                "room_ids": Schema.array(Schema.uuid).with("maxItems", 100)
                    .described("Rooms of the location to choose from; empty or absent for any room (of `floor_ids`, when given)."),
                "floor_ids": Schema.array(Schema.uuid).with("maxItems", 100)
                    .described("Floors of the location to choose from; empty or absent for any floor."),
                "accepts_other_desks": Schema.boolean.with("default", true)
                    .described("Whether a matching desk not in `desk_ids` is better than none; `false` needs at least one desk."),
                "window": JSONValue.object(["anyOf": [Schema.ref("DayWindow"), ["type": "null"]]])
                    .described("The hours wanted; null or absent for the location's whole bookable day."),
            ],
            required: ["location_id", "date"])
        schemas["AllocationRequest"] = Schema.object(
            [
                "id": Schema.uuid, "location_id": Schema.uuid, "date": Schema.date,
                "desk_ids": Schema.array(Schema.uuid).described("Preferred desks, best first."),
                "tags": Schema.array(Schema.string).described("Tags a desk must all have, sorted."),
                "room_ids": Schema.array(Schema.uuid).described("Rooms to choose from; empty for any room (of `floor_ids`, when given)."),
                "floor_ids": Schema.array(Schema.uuid).described("Floors to choose from; empty for any floor."),
                "accepts_other_desks": Schema.boolean,
                "window": Schema.ref("DayWindow").described("Absent: the location's whole bookable day."),
                "source": Schema.enumeration(BookingSource.allCases.map(\.rawValue)),
                "rule_id": Schema.uuid.described("The rule that filed the request, if one did."),
                "status": Schema.enumeration(RequestStatus.allCases.map(\.rawValue)).described("""
                    `pending`: waits for the day's round; `won`: has a desk; `waitlisted`: waits for a desk to come free; \
                    `cancelled` by its owner; `expired`: the day ended while it waited; `failed`: could not be served, see `reason`; \
                    `withdrawn` by the rule that filed it (paused, changed, suspended or deleted).
                    """),
                "reason": Schema.string.described("Why the request failed or ended, in words."),
                "desk_id": Schema.uuid.described("With `won`: the desk."),
                "booking_id": Schema.uuid.described("With `won`: the booking."),
                "waitlist_rank": Schema.integer.described("While `waitlisted`: the place in the waitlist order, 0 first."),
                "created_at": Schema.timestamp, "updated_at": Schema.timestamp,
            ],
            required: ["id", "location_id", "date", "desk_ids", "tags", "room_ids", "floor_ids", "accepts_other_desks", "source",
                       "status", "created_at", "updated_at"],
            description: "A person's request for a desk at a location on a day.")
        schemas["AllocationRequestPage"] = Schema.page(of: "AllocationRequest")

        // Autopilot
        let span = Schema.object(["from": Schema.date, "to": Schema.date.described("Inclusive; not before `from`.")], required: ["from", "to"])
        schemas["AutopilotRuleInput"] = Schema.object(
            [
                "name": Schema.string(min: 1, max: 100).described("Absent on creation: the location's name."),
                "location_id": Schema.uuid.described("Required on creation."),
                "mode": Schema.enumeration(RuleMode.allCases.map(\.rawValue)).with("default", "book")
                    .described("`book`: file requests and take desks; `watch`: only tell when a matching desk comes free."),
                "weekdays": Schema.array(Schema.integer(min: 1, max: 7)).described("ISO weekdays to target, 1 = Monday."),
                "extra_dates": Schema.array(Schema.date).described("Further days to target."),
                "blacklist_dates": Schema.array(Schema.date).described("Days never to target (beats `extra_dates`)."),
                "blacklist_ranges": Schema.array(span).described("Spans of days never to target, such as holidays."),
                "window": JSONValue.object(["anyOf": [Schema.ref("DayWindow"), ["type": "null"]]])
                    .described("The hours wanted; null or absent for the location's whole bookable day."),
                "skip_today_after": Schema.nullable(Schema.localTime)
                    .described("After this local time, today is no longer targeted; null for never."),
                "desk_ids": Schema.array(Schema.uuid).with("maxItems", .integer(AllocationService.maximumPreferences))
                    .described("Desks of the location in order of preference, best first."),
                "tags": Schema.array(Schema.string).with("maxItems", 20).described("Tags a desk must all have."),
                "room_ids": Schema.array(Schema.uuid).with("maxItems", 100).described("Rooms to choose from; empty for any."),
                "floor_ids": Schema.array(Schema.uuid).with("maxItems", 100).described("Floors to choose from; empty for any."),
                "accepts_other_desks": Schema.boolean.with("default", true)
                    .described("Whether a matching desk not in `desk_ids` is better than none."),
            ],
            description: "A rule's settings; every field is optional on change.")
        schemas["AutopilotRule"] = Schema.object(
            [
                "id": Schema.uuid, "user_id": Schema.uuid.described("The owner."), "name": Schema.string, "location_id": Schema.uuid,
                "mode": Schema.enumeration(RuleMode.allCases.map(\.rawValue)),
                "status": Schema.enumeration(RuleStatus.allCases.map(\.rawValue)).described("""
                    `active`; `paused` by its owner; `suspended` by an administrator; `error`: stopped by a problem it cannot \
                    get past alone, see `status_reason`.
                    """),
                "status_reason": Schema.string.described("Why it is suspended, or its last error."),
                "weekdays": Schema.array(Schema.integer(min: 1, max: 7)), "extra_dates": Schema.array(Schema.date),
                "blacklist_dates": Schema.array(Schema.date), "blacklist_ranges": Schema.array(span),
                "window": Schema.ref("DayWindow").described("Absent: the location's whole bookable day."),
                "skip_today_after": Schema.localTime,
                "desk_ids": Schema.array(Schema.uuid), "tags": Schema.array(Schema.string), "room_ids": Schema.array(Schema.uuid),
                "floor_ids": Schema.array(Schema.uuid), "accepts_other_desks": Schema.boolean,
                "counters": Schema.object([:]).with("additionalProperties", Schema.integer)
                    .described("Requests the rule filed, by status (for the owner; absent in lists for administrators)."),
                "created_at": Schema.timestamp, "updated_at": Schema.timestamp,
            ],
            required: ["id", "user_id", "name", "location_id", "mode", "status", "weekdays", "extra_dates", "blacklist_dates",
                       "blacklist_ranges", "desk_ids", "tags", "room_ids", "floor_ids", "accepts_other_desks", "created_at", "updated_at"],
            description: "A personal autopilot rule.")
        schemas["AutopilotRulePage"] = Schema.page(of: "AutopilotRule")
        schemas["AutopilotLogEntry"] = Schema.object(
            [
                "id": Schema.uuid, "rule_id": Schema.uuid, "request_id": Schema.uuid, "at": Schema.timestamp,
                "level": Schema.enumeration(AutopilotLogRecord.Level.allCases.map(\.rawValue)), "message": Schema.string,
            ],
            required: ["id", "at", "level", "message"], description: "What the autopilot did or saw, in words.")
        schemas["AutopilotOverview"] = Schema.object(
            [
                "rules": Schema.array(Schema.ref("AutopilotRule")),
                "max_rules": Schema.integer.described("Rules the person may have."),
                "limit_is_own": Schema.boolean.described("Whether an administrator set the person's limit."),
                "server_max_rules": Schema.integer.described("Rules the whole server keeps at most."),
                "log": Schema.array(Schema.ref("AutopilotLogEntry")).described("The newest log entries."),
                "history": Schema.array(Schema.ref("AllocationRequest")).described("The newest requests the rules filed."),
            ],
            required: ["rules", "max_rules", "limit_is_own", "server_max_rules", "log", "history"])
        schemas["SuspendInput"] = Schema.object(["reason": Schema.string(min: 1, max: 500).described("Shown to the owner.")],
                                                required: ["reason"])
        schemas["RuleLimitInput"] = Schema.object(
            ["max_rules": Schema.nullable(Schema.integer(min: 0, max: 1000)).described("Null: back to the server's standard.")],
            required: ["max_rules"])
        schemas["RuleLimit"] = Schema.object(
            ["user_id": Schema.uuid, "max_rules": Schema.integer,
             "is_own": Schema.boolean.described("Whether an administrator set it (else the server's standard applies).")],
            required: ["user_id", "max_rules", "is_own"])
        let counts = Schema.object([:]).with("additionalProperties", Schema.integer)
        schemas["AutopilotStats"] = Schema.object(
            [
                "users_with_active_rules": Schema.integer,
                "rules_by_status": counts, "rules_by_mode": counts,
                "requests_per_day": Schema.object([:]).with("additionalProperties", counts)
                    .described("From two weeks back on: per day, requests by status."),
                "recent_rounds": Schema.array(Schema.object(
                    ["id": Schema.uuid, "location_id": Schema.uuid, "date": Schema.date, "ran_at": Schema.timestamp,
                     "participants": Schema.integer, "winners": Schema.integer, "waitlisted": Schema.integer],
                    required: ["id", "location_id", "date", "ran_at", "participants", "winners", "waitlisted"])),
                "waitlists": Schema.array(Schema.object(
                    ["location_id": Schema.uuid, "date": Schema.date, "waiting": Schema.integer],
                    required: ["location_id", "date", "waiting"])).described("Requests waiting per location and day."),
            ],
            required: ["users_with_active_rules", "rules_by_status", "rules_by_mode", "requests_per_day", "recent_rounds", "waitlists"])
        schemas["RoundInput"] = Schema.object(["date": Schema.date.described("The local day.")], required: ["date"])
        schemas["RoundReport"] = Schema.object(
            [
                "id": Schema.uuid, "location_id": Schema.uuid, "date": Schema.date, "ran_at": Schema.timestamp,
                "trigger": Schema.enumeration(["schedule", "admin"])
                    .described("`schedule`: at the release time; `admin`: run ahead of time by a manager."),
                "seed": Schema.string.with("pattern", "^[0-9]+$")
                    .described("The draw's random seed: replaying the round with it and the stored inputs gives the same result."),
                "participants": Schema.integer.described("Requests in the draw."),
                "winners": Schema.integer.described("Requests given a desk."),
                "waitlisted": Schema.integer.described("Requests put on the waitlist."),
                "lines": Schema.array(Schema.ref("RoundLine"))
                    .described("Every participant's line for managers of the location, else only the caller's own; in the order drawn."),
            ],
            required: ["id", "location_id", "date", "ran_at", "trigger", "seed", "participants", "winners", "waitlisted", "lines"],
            description: "What an allocation round decided.")
        schemas["RoundLine"] = Schema.object(
            [
                "request_id": Schema.uuid, "user_id": Schema.uuid, "username": Schema.string, "display_name": Schema.string,
                "position": Schema.integer.described("The turn in the draw, 0 first; absent when the request was left out of it."),
                "weight": Schema.number.described("The request's weight in the draw."),
                "recent_losses": Schema.integer.described("Earlier rounds the person went without a desk, which raise the weight."),
                "outcome": Schema.enumeration(["preferred", "matching", "waitlisted", "duplicate", "excluded"]).described("""
                    `preferred`: got a desk from `desk_ids` (`preference_rank`); `matching`: got another matching desk; \
                    `waitlisted`: no desk was left (`waitlist_position`); `duplicate`: another request of the person's took \
                    part; `excluded`: left out of the draw or refused by a booking rule (`reason`).
                    """),
                "preference_rank": Schema.integer.described("With `preferred`: the desk's place in `desk_ids`, 0 first."),
                "desk_id": Schema.uuid, "desk_name": Schema.string, "booking_id": Schema.uuid,
                "waitlist_position": Schema.integer.described("With `waitlisted`: the place in the waitlist, 0 first."),
                "reason": Schema.string.described("Why the request was left out or failed."),
                "explanation": Schema.string.described("Why the person got what they got, in words."),
            ],
            required: ["request_id", "user_id", "weight", "recent_losses", "outcome", "explanation"],
            description: "One request's part in a round.")

        // Holds
        schemas["Hold"] = Schema.object(
            [
                "desk_id": Schema.uuid, "expires_at": Schema.timestamp.described("Refresh before this instant to keep the hold."),
                "first_acquired_at": Schema.timestamp,
                "cap_ends_at": Schema.timestamp.described("The hold cannot be refreshed past this instant."),
            ],
            required: ["desk_id", "expires_at", "first_acquired_at", "cap_ends_at"])

        // Availability
        schemas["RoomAvailability"] = Schema.object(
            [
                "mine": Schema.ref("ViewerAvailability"),
                "room_id": Schema.uuid, "from": Schema.timestamp, "to": Schema.timestamp,
                "now": Schema.timestamp.described("When this report was computed (reports are shared for up to a second)."),
                "under_maintenance": Schema.boolean, "maintenance_reason": Schema.string,
                "users": Schema.array(Schema.ref("BookerRef")).described("Everyone named by a user_id in busy, once."),
                "desks": Schema.array(Schema.ref("DeskAvailability")),
            ],
            required: ["mine", "room_id", "from", "to", "now", "under_maintenance", "users", "desks"])
        schemas["ViewerAvailability"] = Schema.object(
            [
                "user_id": Schema.uuid,
                "booking_ids": Schema.array(Schema.uuid).described("The reader's own bookings among busy."),
                "held_desk_ids": Schema.array(Schema.uuid).described("Desks the reader holds."),
                "permanent_desk_ids": Schema.array(Schema.uuid).described("The reader's permanent desks in this room."),
            ],
            required: ["user_id", "booking_ids", "held_desk_ids", "permanent_desk_ids"])
        schemas["DeskAvailability"] = Schema.object(
            [
                "desk_id": Schema.uuid, "name": Schema.string,
                "status": Schema.enumeration(DeskStatus.allCases.map(\.rawValue)).described("The desk's status now."),
                "permanent": Schema.boolean.described("Whether the desk is someone's permanent desk."),
                "hold_expires_at": Schema.timestamp.described("Present while someone holds the desk."),
                "busy": Schema.array(Schema.ref("Busy")).described("Confirmed bookings in the range, by start."),
            ],
            required: ["desk_id", "name", "status", "permanent", "busy"])
        schemas["Busy"] = Schema.object(
            [
                "booking_id": Schema.uuid, "start": Schema.timestamp, "end": Schema.timestamp,
                "user_id": Schema.uuid.described("Absent where the location hides who booked."),
            ],
            required: ["booking_id", "start", "end"])
        schemas["BookerRef"] = Schema.object(
            ["id": Schema.uuid, "username": Schema.string, "display_name": Schema.string], required: ["id", "username", "display_name"])
        schemas["LocationAvailability"] = Schema.object(
            [
                "location_id": Schema.uuid, "date": Schema.date,
                "timezone": Schema.string.described("The location's IANA time zone."),
                "bookable_from": Schema.timestamp, "bookable_until": Schema.timestamp,
                "rooms": Schema.array(Schema.ref("RoomDay")),
            ],
            required: ["location_id", "date", "timezone", "bookable_from", "bookable_until", "rooms"])
        schemas["RoomDay"] = Schema.object(
            [
                "room_id": Schema.uuid, "floor_id": Schema.uuid, "name": Schema.string, "under_maintenance": Schema.boolean,
                "desks": Schema.integer.described("All desks of the room."),
                "free": Schema.integer.described("Desks free for the whole bookable day."),
                "partly_free": Schema.integer.described("Desks with a free stretch of at least the policy's minimum duration."),
                "full": Schema.integer.described("Desks without such a stretch."),
                "unavailable": Schema.integer
                    .described("Desks the caller cannot book: inactive, under maintenance or someone else's permanent desk."),
                "free_desk_ids": Schema.array(Schema.uuid), "partly_free_desk_ids": Schema.array(Schema.uuid),
            ],
            required: ["room_id", "floor_id", "name", "under_maintenance", "desks", "free", "partly_free", "full", "unavailable",
                       "free_desk_ids", "partly_free_desk_ids"])

        // Calendar
        schemas["CalendarFeed"] = Schema.object(
            ["url": Schema.string.with("format", "uri").described("The secret feed URL, ending in `.ics`.")], required: ["url"])

        // Audit
        schemas["AuditEntry"] = Schema.object(
            [
                "id": Schema.uuid, "at": Schema.timestamp,
                "actor_id": Schema.uuid.described("Who acted; absent for the system."),
                "action": Schema.string.described("Such as `booking.created` or `location.policy_changed`."),
                "target_type": Schema.string.described("Such as `booking`, `desk` or `user`."),
                "target_id": Schema.uuid, "location_id": Schema.uuid,
                "ip": Schema.string.described("The actor's address, when known."),
                "details": Schema.object([:]).with("additionalProperties", Schema.string),
            ],
            required: ["id", "at", "action", "target_type", "details"], description: "One recorded change.")
        schemas["AuditPage"] = Schema.page(of: "AuditEntry")
        return schemas
    }

    private static let preferenceProperties: [String: JSONValue] = [
        "theme": Schema.enumeration(Preferences.Theme.allCases.map(\.rawValue)),
        "timezone": Schema.nullable(Schema.string).described("An IANA time zone, such as `Europe/Berlin`; `null` for each location's own."),
        "date_format": Schema.enumeration(Preferences.DateFormat.allCases.map(\.rawValue)),
        "time_format": Schema.enumeration(Preferences.TimeFormat.allCases.map(\.rawValue)),
        "default_location_id": Schema.nullable(Schema.uuid).described("The location booking pages open with; `null` for none."),
        "default_duration_minutes": Schema.integer(min: Preferences.durationRange.lowerBound, max: Preferences.durationRange.upperBound)
            .with("multipleOf", 5),
    ]

    private static let policyProperties: [String: JSONValue] = [
        "max_advance_days": Schema.integer(min: 0, max: 365).described("How many days ahead bookings open."),
        "release_time": Schema.localTime.described("When the next day opens for booking, local time."),
        "granularity_minutes": Schema.integer.with("enum", [5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440]),
        "bookable_from": Schema.localTime,
        "bookable_until": Schema.localTime,
        "min_duration_minutes": Schema.integer.with("minimum", 1),
        "max_duration_minutes": Schema.integer.with("minimum", 1),
        "max_concurrent_per_user": Schema.integer(min: 1, max: 100),
        "max_upcoming_per_user": Schema.integer(min: 1, max: 10_000),
        "check_in_required": Schema.boolean,
        "check_in_grace_minutes": Schema.integer(min: 0, max: 1440),
        "booker_visibility": Schema.enumeration(["everyone", "managers"]).described("Who sees who booked a desk."),
    ]
}

// MARK: - JSON

extension OpenAPIDocument {
    /// A JSON value written with Swift literals.
    fileprivate indirect enum JSONValue: Sendable, Encodable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
        ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
    {
        case string(String), integer(Int), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

        init(stringLiteral value: String) { self = .string(value) }
        init(integerLiteral value: Int) { self = .integer(value) }
        init(booleanLiteral value: Bool) { self = .bool(value) }
        init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
        init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(Dictionary(uniqueKeysWithValues: elements)) }

        /// This object with one more field.
        func with(_ key: String, _ value: JSONValue) -> JSONValue {
            guard case .object(var fields) = self else { preconditionFailure("only objects have fields") }
            fields[key] = value
            return .object(fields)
        }

        func described(_ text: String) -> JSONValue { with("description", .string(text)) }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .integer(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            case .array(let value): try container.encode(value)
            case .object(let value): try container.encode(value)
            case .null: try container.encodeNil()
            }
        }
    }
}
