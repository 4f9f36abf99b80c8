import Fluent
import SQLKit

/// The outbox (SPEC §8): notifications gain a link and their location; each person's channel choices; webhook
/// endpoints with their sealed secrets; one delivery row per notification and channel (or booking change and webhook)
/// with its attempts. Kinds written before get the names of `NotificationKind`.
struct AddNotificationOutbox: AsyncMigration {
    static let statements = [
        "ALTER TABLE notifications ADD COLUMN link TEXT",
        "ALTER TABLE notifications ADD COLUMN location_id {uuid} REFERENCES locations(id) ON DELETE SET NULL",
        "CREATE INDEX notifications_unread ON notifications (user_id, created_at) WHERE read_at IS NULL",
        "UPDATE notifications SET kind = 'booking.maintenance' WHERE kind = 'room_maintenance'",
        "UPDATE notifications SET kind = 'check_in.released' WHERE kind = 'booking_released'",
        "UPDATE notifications SET kind = 'desk.permanent_assigned' WHERE kind = 'desk_assigned'",
        "UPDATE notifications SET kind = 'allocation.lost' WHERE kind IN ('allocation.failed', 'allocation.expired')",
        """
        CREATE TABLE notification_settings (
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            channel TEXT NOT NULL,
            enabled {bool} NOT NULL,
            PRIMARY KEY (user_id, kind, channel)
        )
        """,
        // A personal endpoint has no location; a location's endpoint belongs to the manager who made it and acts as them.
        """
        CREATE TABLE webhooks (
            id {uuid} PRIMARY KEY,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            location_id {uuid} REFERENCES locations(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            description TEXT NOT NULL,
            event_types TEXT NOT NULL,
            secret TEXT NOT NULL,
            active {bool} NOT NULL,
            consecutive_failures INTEGER NOT NULL,
            disabled_reason TEXT,
            created_at {time} NOT NULL,
            updated_at {time} NOT NULL
        )
        """,
        "CREATE INDEX webhooks_user ON webhooks (user_id) WHERE location_id IS NULL",
        "CREATE INDEX webhooks_location ON webhooks (location_id) WHERE location_id IS NOT NULL",
        // `payload` is the webhook body, fixed at the write so that every retry sends the same bytes; an e-mail is
        // written from its notification when it is sent.
        """
        CREATE TABLE deliveries (
            id {uuid} PRIMARY KEY,
            channel TEXT NOT NULL,
            notification_id {uuid} REFERENCES notifications(id) ON DELETE CASCADE,
            webhook_id {uuid} REFERENCES webhooks(id) ON DELETE CASCADE,
            user_id {uuid} REFERENCES users(id) ON DELETE CASCADE,
            event_type TEXT NOT NULL,
            payload TEXT,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at {time} NOT NULL,
            claimed_until {time},
            created_at {time} NOT NULL,
            last_attempt_at {time},
            last_status_code INTEGER,
            last_error TEXT,
            last_duration_ms INTEGER,
            delivered_at {time}
        )
        """,
        "CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'",
        "CREATE INDEX deliveries_webhook ON deliveries (webhook_id, created_at)",
        """
        CREATE TABLE delivery_attempts (
            id {uuid} PRIMARY KEY,
            delivery_id {uuid} NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
            at {time} NOT NULL,
            succeeded {bool} NOT NULL,
            status_code INTEGER,
            duration_ms INTEGER NOT NULL,
            error TEXT
        )
        """,
        "CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, at)",
    ]

    func prepare(on database: any Database) async throws {
        try await SchemaDialect.apply(Self.statements, to: database)
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for table in ["delivery_attempts", "deliveries", "webhooks", "notification_settings"] {
            try await sql.raw("DROP TABLE IF EXISTS \(ident: table)").run()
        }
        try await sql.raw("DROP INDEX IF EXISTS notifications_unread").run()
        for column in ["location_id", "link"] {
            try await sql.raw("ALTER TABLE notifications DROP COLUMN \(ident: column)").run()
        }
    }
}
