import Vapor

/// Every route of the API, in one place.
func routes(_ app: Application) throws {
    app.get("healthz", use: SystemController.health)
    app.get("readyz", use: SystemController.ready)
    app.get("metrics", use: SystemController.metrics)
    app.get("api", "openapi.json", use: SystemController.openAPI)
    // The feed's secret token is its credential: calendar clients cannot sign in.
    app.get("calendar", ":file", use: CalendarController.feed)

    // Health checks and the API description answer without looking at credentials.
    let api = app.grouped("api", "v1").grouped(AuthenticationMiddleware())

    do {  // accounts and sessions
        api.post("auth", "login", use: AuthController.login)
        api.post("auth", "logout", use: AuthController.logout)
        api.post("auth", "refresh", use: AuthController.refresh)
        api.post("auth", "register", use: AuthController.register)
        api.get("me", use: AuthController.me)
        api.put("me", "password", use: AuthController.changePassword)
        api.post("me", "tokens", use: AuthController.createToken)
        api.get("me", "tokens", use: AuthController.tokens)
        api.delete("me", "tokens", ":id", use: AuthController.revokeToken)
    }
    do {  // the signed-in person
        api.get("me", "preferences", use: MeController.preferences)
        api.patch("me", "preferences", use: MeController.updatePreferences)
        api.get("me", "stats", use: MeController.stats)
        api.post("me", "calendar-feed", use: MeController.rotateCalendarFeed)
        api.get("me", "notifications", use: NotificationController.list)
        api.post("me", "notifications", "read", use: NotificationController.markRead)
        api.get("me", "notification-settings", use: NotificationController.settings)
        api.put("me", "notification-settings", use: NotificationController.changeSettings)
    }
    do {  // webhooks: the caller's own, and a location's for its managers
        for (prefix, webhook) in [(["me"], ":id"), (["locations", ":id"], ":webhook_id")] {
            let base = (prefix + ["webhooks"]).map(PathComponent.init(stringLiteral:))
            api.get(base, use: WebhookController.list)
            api.post(base, use: WebhookController.create)
            api.get(base + [.init(stringLiteral: webhook)], use: WebhookController.get)
            api.patch(base + [.init(stringLiteral: webhook)], use: WebhookController.update)
            api.delete(base + [.init(stringLiteral: webhook)], use: WebhookController.delete)
            api.get(base + [.init(stringLiteral: webhook), "deliveries"], use: WebhookController.deliveries)
            api.post(base + [.init(stringLiteral: webhook), "deliveries", ":delivery_id", "redeliver"], use: WebhookController.redeliver)
            api.post(base + [.init(stringLiteral: webhook), "test"], use: WebhookController.test)
        }
    }
    do {  // the outbox, for administrators
        api.get("admin", "mail", use: OutboxController.mailStatus)
        api.post("admin", "mail", "test", use: OutboxController.testMail)
        api.get("admin", "deliveries", use: OutboxController.deliveries)
        api.post("admin", "deliveries", ":id", "redeliver", use: OutboxController.redeliver)
    }
    do {  // users
        api.post("users", use: UserController.create)
        api.get("users", use: UserController.search)
        api.get("users", ":id", use: UserController.get)
        api.patch("users", ":id", use: UserController.update)
    }
    do {  // places
        api.get("countries", use: PlaceController.countries)
        api.post("countries", use: PlaceController.createCountry)
        api.get("countries", ":id", use: PlaceController.country)
        api.patch("countries", ":id", use: PlaceController.updateCountry)
        api.delete("countries", ":id", use: PlaceController.deleteCountry)

        api.get("locations", use: PlaceController.locations)
        api.post("locations", use: PlaceController.createLocation)
        api.get("locations", ":id", use: PlaceController.location)
        api.patch("locations", ":id", use: PlaceController.updateLocation)
        api.delete("locations", ":id", use: PlaceController.deleteLocation)
        api.get("policy", "defaults", use: PlaceController.policyDefaults)
        api.get("locations", ":id", "policy", use: PlaceController.policy)
        api.patch("locations", ":id", "policy", use: PlaceController.updatePolicy)
        api.get("locations", ":id", "floors", use: PlaceController.floors)
        api.post("locations", ":id", "floors", use: PlaceController.createFloor)
        api.get("locations", ":id", "rooms", use: PlaceController.roomsOfLocation)

        api.get("floors", ":id", use: PlaceController.floor)
        api.patch("floors", ":id", use: PlaceController.updateFloor)
        api.delete("floors", ":id", use: PlaceController.deleteFloor)
        api.get("floors", ":id", "rooms", use: PlaceController.roomsOfFloor)
        api.post("floors", ":id", "rooms", use: PlaceController.createRoom)

        api.get("rooms", ":id", use: PlaceController.room)
        api.patch("rooms", ":id", use: PlaceController.updateRoom)
        api.delete("rooms", ":id", use: PlaceController.deleteRoom)
        api.get("rooms", ":id", "map", use: PlaceController.map)
        api.on(.PUT, "rooms", ":id", "map", use: PlaceController.uploadMap).allowingBodies(upTo: RoomMapService.maximumBytes + 64 * 1024)
        api.get("rooms", ":id", "desks", use: PlaceController.desks)
        api.post("rooms", ":id", "desks", use: PlaceController.createDesk)

        api.get("desks", ":id", use: PlaceController.desk)
        api.patch("desks", ":id", use: PlaceController.updateDesk)
        api.delete("desks", ":id", use: PlaceController.deleteDesk)
    }
    do {  // access
        api.get("locations", ":id", "groups", use: AccessController.groups)
        api.post("locations", ":id", "groups", use: AccessController.createGroup)
        api.patch("groups", ":id", use: AccessController.updateGroup)
        api.delete("groups", ":id", use: AccessController.deleteGroup)
        api.get("groups", ":id", "members", use: AccessController.members)
        api.put("groups", ":id", "members", ":user_id", use: AccessController.addMember)
        api.delete("groups", ":id", "members", ":user_id", use: AccessController.removeMember)
        api.get("locations", ":id", "managers", use: AccessController.locationManagers)
        api.put("locations", ":id", "managers", ":user_id", use: AccessController.addLocationManager)
        api.delete("locations", ":id", "managers", ":user_id", use: AccessController.removeLocationManager)
        api.get("rooms", ":id", "managers", use: AccessController.roomManagers)
        api.put("rooms", ":id", "managers", ":user_id", use: AccessController.addRoomManager)
        api.delete("rooms", ":id", "managers", ":user_id", use: AccessController.removeRoomManager)
        api.get("locations", ":id", "gate", use: AccessController.locationGate)
        api.put("locations", ":id", "gate", use: AccessController.setLocationGate)
        api.get("rooms", ":id", "gate", use: AccessController.roomGate)
        api.put("rooms", ":id", "gate", use: AccessController.setRoomGate)
        api.put("desks", ":id", "permanent", use: AccessController.assignPermanent)
        api.delete("desks", ":id", "permanent", use: AccessController.clearPermanent)
    }
    do {  // room state, holds and availability
        api.get("rooms", ":id", "maintenance", "affected", use: MaintenanceController.preview)
        api.put("rooms", ":id", "maintenance", use: MaintenanceController.start)
        api.delete("rooms", ":id", "maintenance", use: MaintenanceController.end)
        api.put("desks", ":id", "hold", use: HoldController.acquire)
        api.delete("desks", ":id", "hold", use: HoldController.release)
        api.post("desks", ":id", "hold", "release", use: HoldController.release).userInfo[HoldController.csrfInQuery] = true
        api.get("rooms", ":id", "availability", use: AvailabilityController.room)
        api.get("locations", ":id", "availability", use: AvailabilityController.location)
    }
    do {  // bookings
        api.post("bookings", use: BookingController.create)
        api.get("bookings", use: BookingController.list)
        api.get("bookings", ":id", use: BookingController.get)
        api.patch("bookings", ":id", use: BookingController.update)
        api.delete("bookings", ":id", use: BookingController.cancel)
        api.post("bookings", "bulk", use: BookingController.bulk)
        api.post("bookings", ":id", "intervals", use: BookingController.replaceIntervals)
        api.post("bookings", ":id", "check-in", use: BookingController.checkIn)
        api.get("bookings", ":id", "ics", use: CalendarController.booking)
    }
    do {  // requests and rounds
        api.post("requests", use: AllocationController.create)
        api.get("me", "requests", use: AllocationController.mine)
        api.get("requests", ":id", use: AllocationController.get)
        api.delete("requests", ":id", use: AllocationController.cancel)
        api.get("locations", ":id", "rounds", use: AllocationController.round)
        api.post("admin", "locations", ":id", "rounds", use: AllocationController.runRound)
    }
    do {  // autopilot
        let mine = api.grouped("me", "autopilot")
        mine.get(use: AutopilotController.overview)
        mine.get("rules", use: AutopilotController.list)
        mine.post("rules", use: AutopilotController.create)
        mine.get("rules", ":id", use: AutopilotController.get)
        mine.patch("rules", ":id", use: AutopilotController.update)
        mine.delete("rules", ":id", use: AutopilotController.delete)
        mine.post("rules", ":id", "pause", use: AutopilotController.pause)
        mine.post("rules", ":id", "resume", use: AutopilotController.resume)
        mine.get("log", use: AutopilotController.log)
        mine.get("history", use: AutopilotController.history)
        api.get("admin", "autopilot", "rules", use: AutopilotController.adminList)
        api.post("admin", "autopilot", "rules", ":id", "suspend", use: AutopilotController.suspend)
        api.post("admin", "autopilot", "rules", ":id", "resume", use: AutopilotController.adminResume)
        api.put("admin", "users", ":id", "limits", use: AutopilotController.setLimits)
        api.get("admin", "users", ":id", "autopilot", use: AutopilotController.inspect)
        api.get("admin", "stats", use: AutopilotController.stats)
    }
    api.get("audit", use: AuditController.list)
    api.get("ws", use: RealtimeController.connect)

    WebController.register(on: app)
}
