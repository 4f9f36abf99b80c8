import Logging

/// Everything that reacts to committed events, in the order each batch reaches them, as `routes.swift` lists every
/// route. A reaction runs inline on the task that published and must not block: it does constant work (caches,
/// metrics) or hands the events to its own queue or task. Reactions to this instance's own changes only (`origin ==
/// .local`) say so; another instance reacts to its own changes, so nothing runs twice for one change.
enum Reactions {
    static func install(_ services: AppServices, logger: Logger) {
        let bus = services.transactor.events
        // Caches first, so that every later reaction reads fresh facts.
        bus.subscribe { events, _ in services.transactor.dropStale(after: events) }
        bus.subscribe { events, origin in services.metrics.published(events, origin: origin) }
        // Live clients of this instance hear of every change, wherever it was made.
        bus.subscribe { events, origin in services.realtime.publish(events, origin: origin) }
        // Other instances (PostgreSQL): this instance's own changes go out with NOTIFY.
        if let bridge = services.bridge {
            bus.subscribe { events, origin in bridge.forward(events, origin: origin) }
        }
        // Deliveries were queued here or on another instance: the worker looks at once if this instance leads.
        bus.subscribe { events, _ in if events.contains(.deliveriesQueued) { services.deliveries.wake() } }
        // Local only: desks whose status now changed (a booking covering now, a hold, maintenance, a permanent desk).
        bus.subscribe { events, origin in services.deskStatus.react(to: events, origin: origin) }
        // Local only: desks that came free are offered to their day's waitlist.
        bus.subscribe { events, origin in services.allocation.offerFreedDesks(after: events, origin: origin, logger: logger) }
        // Local only: the autopilot logs its rules' requests and tells watching rules about freed desks.
        bus.subscribe { events, origin in services.autopilot.react(to: events, origin: origin) }
    }
}
