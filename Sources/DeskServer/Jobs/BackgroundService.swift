/// A part that works in the background for the application's lifetime: started once, stopped once, in the order
/// `BackgroundServices` keeps.
protocol BackgroundService: Sendable {
    /// Begins work and returns at once.
    func start()
    /// Stops taking work, finishes or drops what is queued (each service says which), and returns when nothing of it
    /// runs any more. Calling it again, or before `start`, does no harm.
    func stop() async
}
