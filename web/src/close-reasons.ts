// What the candidate's page says when its socket closes: a notice for a close that a reconnect may mend, a
// page of its own for one after which the same link cannot open the interview (said calmly: nothing broke).

/** Closes that Reconnect may mend, explained in the connection notice. */
export const CLOSE_EXPLANATIONS: Record<number, string> = {
  1009: "The connection was closed because a message was too large.",
  1011: "The server ran into a problem.",
  1008: "The connection was closed: this page sent audio faster than real time.",
  1013: "The server cannot take the interview right now (it is busy, or cannot reach its database). Your saved answers are kept: reconnect in a minute.",
  4008: "The server did not hear from this page in time.",
  4009: "The interview was opened in another tab or window.",
};

/** Closes after which reconnecting with the same link cannot help: a page of their own, heading and text. */
export const CLOSED_PAGES: Record<number, [string, string]> = {
  4001: [
    "This link does not open an interview",
    "Check that you opened the whole link from your invitation, or ask the person who invited you for a new one.",
  ],
  4003: [
    "This interview cannot be joined",
    "It has already finished, or this is not the candidate's link. If you think this is a mistake, contact the person who invited you.",
  ],
  4004: ["This interview was not found", "Ask the person who invited you for a new link."],
  4011: ["This interview link has expired", "Ask the person who invited you for a new link."],
  4012: [
    "This interview link is no longer active",
    "The hiring team has withdrawn it. If you expected to take this interview, contact the person who invited you.",
  ],
};
