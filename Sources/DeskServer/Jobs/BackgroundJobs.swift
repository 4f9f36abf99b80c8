import Foundation

/// The jobs the leader runs; each only calls a service and may run any number of times (idempotent).
enum BackgroundJobs {
    static func all(bookings: BookingService, allocation: AllocationService, autopilot: AutopilotService, timeline: TimelineService, housekeeping: HousekeepingService, tick: TimeInterval)
        -> [Scheduler.Job]
    {
        [
            // Every tick: a desk's status flips within one tick of the booking starting or ending.
            // Every tick: a day's round runs within one tick of its release time, and first-come booking waits for it.
            .init(name: "allocation-rounds", every: tick) { try await allocation.runDueRounds() },
            // Every tick: when a day opens at a location, its autopilot rules ask for the next one within a tick.
            .init(name: "autopilot-days", every: tick) { try await autopilot.planOpenedDays() },
            .init(name: "no-show-release", every: tick) { try await bookings.releaseNoShows() },
            .init(name: "check-in-reminders", every: tick) { try await bookings.remindCheckIns() },
            .init(name: "expired-holds", every: tick) { try await timeline.announceExpiredHolds() },
            .init(name: "desk-status", every: tick) { try await timeline.announceBookingTransitions() },
            .init(name: "maintenance-periods", every: tick) { try await timeline.announceMaintenanceTransitions() },
            .init(name: "cleanup", every: 3600) {
                try await housekeeping.purge()
                try await allocation.expireEndedWaitlists()
                try await autopilot.trimLogs()
            },
        ]
    }
}
