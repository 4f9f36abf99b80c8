// The inbox page (/notifications): see notifications/inbox.js.
import { runPage } from "../lib/session.js";
import { startInbox } from "../notifications/inbox.js";

runPage(() => startInbox());
