// A page that exists only to say that nothing is here; the top bar still shows who is signed in.
import { runPage } from "../lib/session.js";

runPage(() => {});
