import JWT

/// The short-lived access token of a browser session.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim

    /// Expiry is checked by `SessionService` against the injected clock, not the process clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
