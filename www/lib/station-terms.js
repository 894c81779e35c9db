// station-terms.js — the station app's words for the API's codes, in the reader's language.
import { t } from "./i18n.js";

export const KINDS = {
  complaint_received: () => t("Complaint received"),
  booth_inspection: () => t("Booth inspection"),
  evidence_preserved: () => t("Evidence preserved"),
  mediation: () => t("Mediation"),
  goods_removed: () => t("Goods removed"),
  injunction_served: () => t("Injunction served"),
  customs_sweep: () => t("Customs sweep"),
  other: () => t("Other"),
};

export const RIGHTS = {
  patent: () => t("Patent"),
  design: () => t("Design"),
  trademark: () => t("Trademark"),
  copyright: () => t("Copyright"),
};

export const STATES = {
  open: () => t("Open"),
  answered: () => t("Answered"),
  mediated: () => t("Mediated"),
  escalated: () => t("Escalated"),
  closed: () => t("Closed"),
};

export function label(table, code) {
  return table[code] ? table[code]() : code || "";
}
