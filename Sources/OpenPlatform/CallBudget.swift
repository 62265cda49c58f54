/// A limit on calls, consulted before every HTTP request (retries included).
public protocol CallBudget: Sendable {
    /// Records one call, or throws an ``APIError`` of kind `quotaExceeded` to stop before sending it.
    func spend(method: String) async throws
}
