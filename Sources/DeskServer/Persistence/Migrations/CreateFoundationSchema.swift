import Fluent
import SQLKit

/// Column types that differ between the two databases; everything else is portable SQL.
struct SchemaDialect {
    let isPostgres: Bool

    init(_ database: any SQLDatabase) {
        isPostgres = database.dialect.name == "postgresql"
    }

    /// Runs DDL statements in order, the PostgreSQL-only ones after them on PostgreSQL.
    static func apply(_ statements: [String], postgresOnly: [String] = [], to database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let dialect = SchemaDialect(sql)
        for statement in statements + (dialect.isPostgres ? postgresOnly : []) {
            try await sql.raw(SQLQueryString(dialect.ddl(statement))).run()
        }
    }

    /// Replaces `{uuid}`, `{time}`, `{bool}` and `{blob}` in DDL with this database's types.
    func ddl(_ statement: String) -> String {
        statement
            .replacingOccurrences(of: "{uuid}", with: isPostgres ? "UUID" : "TEXT")
            .replacingOccurrences(of: "{time}", with: isPostgres ? "TIMESTAMPTZ" : "REAL")
            .replacingOccurrences(of: "{bool}", with: isPostgres ? "BOOLEAN" : "INTEGER")
            .replacingOccurrences(of: "{blob}", with: isPostgres ? "BYTEA" : "BLOB")
    }
}

/// Accounts, places, access, bookings and the audit log.
struct CreateFoundationSchema: AsyncMigration {
    static let statements = [
        """
        CREATE TABLE users (
            id {uuid} PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            is_superuser {bool} NOT NULL,
            is_active {bool} NOT NULL,
            created_at {time} NOT NULL
        )
        """,
        """
        CREATE TABLE refresh_tokens (
            id {uuid} PRIMARY KEY,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            family_id {uuid} NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at {time} NOT NULL,
            expires_at {time} NOT NULL,
            used_at {time},
            revoked_at {time}
        )
        """,
        "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
        """
        CREATE TABLE access_tokens (
            id {uuid} PRIMARY KEY,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            scopes TEXT NOT NULL,
            created_at {time} NOT NULL,
            last_used_at {time},
            revoked_at {time}
        )
        """,
        "CREATE INDEX access_tokens_user ON access_tokens (user_id)",
        """
        CREATE TABLE countries (
            id {uuid} PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            code TEXT NOT NULL UNIQUE,
            lat DOUBLE PRECISION,
            lng DOUBLE PRECISION
        )
        """,
        """
        CREATE TABLE locations (
            id {uuid} PRIMARY KEY,
            country_id {uuid} NOT NULL REFERENCES countries(id),
            name TEXT NOT NULL,
            address TEXT NOT NULL,
            timezone TEXT NOT NULL,
            lat DOUBLE PRECISION,
            lng DOUBLE PRECISION,
            policy TEXT NOT NULL,
            room_managers_add_members {bool} NOT NULL,
            UNIQUE (country_id, name)
        )
        """,
        """
        CREATE TABLE floors (
            id {uuid} PRIMARY KEY,
            location_id {uuid} NOT NULL REFERENCES locations(id),
            name TEXT NOT NULL,
            level INTEGER NOT NULL,
            UNIQUE (location_id, name)
        )
        """,
        """
        CREATE TABLE rooms (
            id {uuid} PRIMARY KEY,
            floor_id {uuid} NOT NULL REFERENCES floors(id),
            location_id {uuid} NOT NULL REFERENCES locations(id),
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            maintenance_reason TEXT,
            UNIQUE (floor_id, name)
        )
        """,
        "CREATE INDEX rooms_location ON rooms (location_id)",
        """
        CREATE TABLE room_maps (
            room_id {uuid} PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
            content_type TEXT NOT NULL,
            image {blob} NOT NULL,
            updated_at {time} NOT NULL
        )
        """,
        """
        CREATE TABLE desks (
            id {uuid} PRIMARY KEY,
            room_id {uuid} NOT NULL REFERENCES rooms(id),
            location_id {uuid} NOT NULL REFERENCES locations(id),
            name TEXT NOT NULL,
            x DOUBLE PRECISION NOT NULL,
            y DOUBLE PRECISION NOT NULL,
            orientation TEXT NOT NULL,
            tags TEXT NOT NULL,
            permanent_user_id {uuid} REFERENCES users(id),
            is_active {bool} NOT NULL,
            UNIQUE (room_id, name)
        )
        """,
        """
        CREATE TABLE user_groups (
            id {uuid} PRIMARY KEY,
            location_id {uuid} NOT NULL REFERENCES locations(id),
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            UNIQUE (location_id, name)
        )
        """,
        """
        CREATE TABLE group_members (
            group_id {uuid} NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            PRIMARY KEY (group_id, user_id)
        )
        """,
        "CREATE INDEX group_members_user ON group_members (user_id)",
        """
        CREATE TABLE location_managers (
            location_id {uuid} NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            PRIMARY KEY (location_id, user_id)
        )
        """,
        "CREATE INDEX location_managers_user ON location_managers (user_id)",
        """
        CREATE TABLE room_managers (
            room_id {uuid} NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            PRIMARY KEY (room_id, user_id)
        )
        """,
        "CREATE INDEX room_managers_user ON room_managers (user_id)",
        """
        CREATE TABLE location_gate_groups (
            location_id {uuid} NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
            group_id {uuid} NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
            PRIMARY KEY (location_id, group_id)
        )
        """,
        """
        CREATE TABLE room_gate_groups (
            room_id {uuid} NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
            group_id {uuid} NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
            PRIMARY KEY (room_id, group_id)
        )
        """,
        """
        CREATE TABLE bookings (
            id {uuid} PRIMARY KEY,
            desk_id {uuid} NOT NULL REFERENCES desks(id),
            user_id {uuid} NOT NULL REFERENCES users(id),
            start_at {time} NOT NULL,
            end_at {time} NOT NULL,
            status TEXT NOT NULL,
            source TEXT NOT NULL,
            created_by {uuid} NOT NULL REFERENCES users(id),
            created_at {time} NOT NULL,
            updated_at {time} NOT NULL,
            checked_in_at {time},
            note TEXT NOT NULL,
            CHECK (end_at > start_at)
        )
        """,
        "CREATE INDEX bookings_desk_time ON bookings (desk_id, start_at, end_at)",
        "CREATE INDEX bookings_user_time ON bookings (user_id, start_at)",
        // Counting someone's upcoming bookings (the quota) reads this index only.
        "CREATE INDEX bookings_user_upcoming ON bookings (user_id, end_at) WHERE status = 'confirmed'",
        """
        CREATE TABLE audit_log (
            id {uuid} PRIMARY KEY,
            at {time} NOT NULL,
            actor_id {uuid},
            action TEXT NOT NULL,
            target_type TEXT NOT NULL,
            target_id {uuid},
            location_id {uuid},
            ip TEXT,
            details TEXT NOT NULL
        )
        """,
        "CREATE INDEX audit_log_at ON audit_log (at)",
        "CREATE INDEX audit_log_action ON audit_log (action, at)",
        "CREATE INDEX audit_log_location ON audit_log (location_id, at)",
    ]

    /// The backstop for "no two confirmed bookings of one desk overlap" on PostgreSQL (needs btree_gist).
    static let postgresStatements = [
        "CREATE EXTENSION IF NOT EXISTS btree_gist",
        """
        ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
        EXCLUDE USING gist (desk_id WITH =, tstzrange(start_at, end_at) WITH &&) WHERE (status = 'confirmed')
        """,
    ]

    func prepare(on database: any Database) async throws {
        try await SchemaDialect.apply(Self.statements, postgresOnly: Self.postgresStatements, to: database)
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for table in [
            "audit_log", "bookings", "room_gate_groups", "location_gate_groups", "room_managers", "location_managers",
            "group_members", "user_groups", "desks", "room_maps", "rooms", "floors", "locations", "countries", "access_tokens",
            "refresh_tokens", "users",
        ] {
            try await sql.raw("DROP TABLE IF EXISTS \(ident: table)").run()
        }
    }
}
