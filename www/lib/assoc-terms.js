// assoc-terms.js — the words of industry associations (行业组织) in the page's language: what a
// member shares, its status, where the association's alerts go. Each is a function so the text
// follows a change of language; term() (console-terms.js) marks unknown values as data.
import { t } from "./i18n.js";

export const SHARES = {
  alerts: () => t("Early warnings"),
  cases: () => t("Early warnings and cases"),
  none: () => t("Membership only"),
  centre: () => t("Seen by the assistance centre"),
};

// What each choice lets the association see, for the member's consent page.
export const SHARE_HINTS = {
  alerts: () => t("The association sees which of its matters concern you (when one event names several members), not the early warnings themselves."),
  cases: () => t("As above, and the state and deadlines of your cases in those matters; your cases are counted in the association's statistics. Case details and messages stay private."),
  none: () => t("The association knows you are a member, and nothing else."),
};

export const STATUS = {
  invited: () => t("Invited"),
  member: () => t("Has joined"),
};

export const FORWARDS = {
  none: () => t("Keep the sector watch's early warnings for the association"),
  affected: () => t("Also send each early warning to the members who trade in the market concerned"),
};

// The association the signed-in person works for.
export const assocId = (ctx) => ctx.person.subject;
export const matterHref = (id) => `/assoc/matters/${encodeURIComponent(id)}`;
