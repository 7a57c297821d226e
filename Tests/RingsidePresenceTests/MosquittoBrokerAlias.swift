import RingsideTestSupport

/// The broker harness lives in RingsideTestSupport (shared with the agent and SIP bench tests); this alias keeps
/// this target's files free of an extra import.
typealias MosquittoBroker = RingsideTestSupport.MosquittoBroker
