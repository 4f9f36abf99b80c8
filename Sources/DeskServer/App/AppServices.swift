import DeskCore
import Fluent
import SQLKit
import JWT
import Vapor

/// The use cases, wired once at start-up; controllers, commands and jobs all call these.
struct AppServices: Sendable {
    let config: AppConfig
    let clock: WallClock
    let transactor: Transactor
    let users: UserService
    let sessions: SessionService
    let places: PlaceService
    let access: AccessService
    let bookings: BookingService
    let holds: HoldService
    let availability: AvailabilityService
    let maintenance: MaintenanceService
    let preferences: PreferencesService
    let stats: StatsService
    let calendar: CalendarService
    let roomMaps: RoomMapService
    let notifications: NotificationService
    /// Seals and opens the secrets DeskPilot must read back.
    let vault: Vault
    let webhooks: WebhookService
    let outbox: OutboxService
    /// Sends the outbox's deliveries (on the leader); started by `serve`.
    let deliveries: DeliveryWorker
    let webhookSender: HTTPWebhookSender
    /// The SMTP connections, when e-mail is configured.
    let mailer: SMTPMailer?
    let audit: AuditService
    let allocation: AllocationService
    let autopilot: AutopilotService
    let timeline: TimelineService
    let housekeeping: HousekeepingService
    let metrics: ServerMetrics
    /// Set on SIGTERM: readiness fails and answers close their connections while the server still answers.
    let drain = ServerDrain()
    let realtime: RealtimeHub
    /// Runs the background jobs on the leader; started by `serve`.
    let scheduler: Scheduler
    /// Events to and from other instances (PostgreSQL only); started by `serve`.
    let bridge: PostgresEventBridge?
    /// Publishes the status of desks that this instance's changes affect.
    let deskStatus: DeskStatusWatcher
    /// Everything above that runs in the background, in start order; stopped in reverse order.
    let background: BackgroundServices

    init(
        config: AppConfig, database: any Database, sqliteWriter: (any SQLDatabase)?, postgres: PostgresSettings?, clock: WallClock,
        threadPool: NIOThreadPool, keys: JWTKeyCollection, vault: Vault, mailer: SMTPMailer?, logger: Logger
    ) {
        self.config = config
        self.clock = clock
        let deliveryOutbox = Outbox(mailConfigured: config.smtp != nil, webhooks: WebhookDirectory(), baseURL: config.baseURL)
        let transactor = Transactor(database: database, sqliteWriter: sqliteWriter, outbox: deliveryOutbox, clock: clock)
        let hasher = PasswordHasher(cost: config.bcryptCost, threadPool: threadPool)
        self.transactor = transactor
        let metrics = ServerMetrics()
        self.metrics = metrics
        users = UserService(transactor: transactor, clock: clock, hasher: hasher, registration: config.registration)
        sessions = SessionService(transactor: transactor, clock: clock, hasher: hasher, keys: keys, throttle: LoginThrottle())
        places = PlaceService(transactor: transactor, clock: clock)
        access = AccessService(transactor: transactor, clock: clock, placeService: places)
        audit = AuditService(transactor: transactor)
        notifications = NotificationService(transactor: transactor, clock: clock, mailConfigured: config.smtp != nil)
        roomMaps = RoomMapService(transactor: transactor, clock: clock, placeService: places)
        bookings = BookingService(transactor: transactor, clock: clock, placeService: places, users: users, sessions: sessions,
                                  commits: BookingCommitQueue(transactor: transactor, clock: clock, metrics: metrics))
        holds = HoldService(transactor: transactor, clock: clock, placeService: places)
        availability = AvailabilityService(transactor: transactor, clock: clock, placeService: places)
        maintenance = MaintenanceService(transactor: transactor, clock: clock, placeService: places)
        preferences = PreferencesService(transactor: transactor, placeService: places)
        stats = StatsService(transactor: transactor, clock: clock, preferences: preferences)
        calendar = CalendarService(transactor: transactor, clock: clock, bookings: bookings, baseURL: config.baseURL)
        realtime = RealtimeHub(
            settings: .init(idleTimeout: .seconds(Int64(config.webSocketIdleTimeout)), queueLimit: config.webSocketQueueLimit),
            places: places, sessions: sessions, users: users, availability: availability, clock: clock,
            logger: logger)
        let allocation = AllocationService(transactor: transactor, clock: clock, placeService: places)
        self.allocation = allocation
        self.vault = vault
        self.mailer = mailer
        let targets = WebhookTargetCheck(allowPrivate: config.webhookAllowPrivate)
        webhooks = WebhookService(transactor: transactor, clock: clock, placeService: places, vault: vault, targets: targets)
        outbox = OutboxService(transactor: transactor, clock: clock, smtp: config.smtp)
        let autopilot = AutopilotService(
            transactor: transactor, clock: clock, placeService: places, allocation: allocation, sessions: sessions,
            limits: .init(perUser: config.autopilotRulesPerUser, total: config.autopilotRulesTotal))
        self.autopilot = autopilot
        let timeline = TimelineService(transactor: transactor, clock: clock)
        var housekeeping = HousekeepingService(transactor: transactor, clock: clock)
        housekeeping.notificationRetention = TimeInterval(config.notificationRetentionDays) * 86_400
        self.timeline = timeline
        self.housekeeping = housekeeping
        let lease: any LeaderLease = postgres.map { PostgresAdvisoryLease(settings: $0, logger: logger) } ?? SingleProcessLease()
        scheduler = Scheduler(jobs: BackgroundJobs.all(bookings: bookings, allocation: allocation, autopilot: autopilot, timeline: timeline, housekeeping: housekeeping, tick: config.jobInterval),
                              lease: lease, clock: clock, tickInterval: .milliseconds(Int64(config.jobInterval * 1000)),
                              metrics: metrics, logger: logger)
        let bridge = postgres.map { PostgresEventBridge(settings: $0, bus: transactor.events, sql: transactor.sql, logger: logger) }
        self.bridge = bridge
        deskStatus = DeskStatusWatcher(transactor: transactor, clock: clock, logger: logger)
        let webhookSender = HTTPWebhookSender()
        self.webhookSender = webhookSender
        var channels: [DeliveryRecord.Channel: any DeliveryChannel] = [:]
        let sessions = self.sessions, places = self.places
        channels[.webhook] = WebhookChannel(
            transactor: transactor, sender: webhookSender, vault: vault, allowPrivate: config.webhookAllowPrivate,
            mayKeep: { userId, locationId in
                guard let user = try await UserStore(sql: transactor.sql).user(id: userId), user.isActive else { return false }
                guard let locationId else { return true }
                let viewer = try await sessions.viewer(for: user)
                guard let (_, gate) = try? await places.visibleLocation(locationId, viewer) else { return false }
                return (try? AccessRules.requireManager(of: gate, viewer)) != nil
            })
        if let mailer, let smtp = config.smtp {
            channels[.email] = EmailChannel(transactor: transactor, mailer: mailer, sender: smtp.sender, calendar: calendar,
                                            baseURL: config.baseURL)
        }
        let scheduler = self.scheduler
        deliveries = DeliveryWorker(transactor: transactor, clock: clock, channels: channels, results: DeliveryResults(transactor: transactor),
                                    isLeader: { scheduler.isLeader }, metrics: metrics, logger: logger)
        // Stopped from the last to the first: live sockets close first; the jobs, the waitlist, desk statuses and the
        // autopilot finish while the bridge still tells other instances what they change.
        background = BackgroundServices((bridge.map { [.service($0, startsWhen: .serving)] } ?? []) + [
            .service(autopilot.engine, startsWhen: .configured),
            .service(allocation.waitlist, startsWhen: .configured),
            .service(deskStatus, startsWhen: .configured),
            .service(scheduler, startsWhen: .serving),
            .service(deliveries, startsWhen: .serving),
            .service(realtime, startsWhen: .configured),
        ])
    }
}

extension Application {
    private struct ServicesKey: StorageKey {
        typealias Value = AppServices
    }

    var services: AppServices {
        get {
            guard let services = storage[ServicesKey.self] else { fatalError("configure(_:config:) has not run") }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}
