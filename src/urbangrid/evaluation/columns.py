"""The columns the report tables show, in order (the Zhengzhou weekly report's first)."""

from urbangrid.core.posts import Post

COUNT_COLUMNS = (
    "accepted", "opened", "voided", "dispatched", "returned", "misdispatched", "shirked", "handled",
    "handled_on_time", "overdue_unhandled", "due_to_close", "closed", "closed_on_time", "closed_late", "reworked",
    "extended", "parked", "self_handled", "public_reported", "verified",
)
RATE_COLUMNS = ("close_rate", "close_on_time_rate", "handle_rate", "handle_on_time_rate", "rework_rate",
                "public_rate")
POST_COLUMNS = {
    Post.COLLECTOR: (("reports", "valid_reports", "missed", "opened_in_grids", "verifications",
                      "verifications_on_time", "checks", "checks_on_time"),
                     ("valid_report_rate", "missed_rate", "verify_on_time_rate", "check_on_time_rate")),
    Post.INTAKE_OPERATOR: (("intake", "intake_on_time", "verification_sends", "verification_sends_on_time",
                            "check_sends", "check_sends_on_time"),
                           ("intake_on_time_rate", "verify_send_rate", "check_send_rate")),
    Post.SHIFT_LEADER: (("opened", "opened_on_time", "voided", "closed", "closed_on_time"),
                        ("open_on_time_rate", "accurate_open_rate", "close_step_on_time_rate")),
    Post.DISPATCHER: (("dispatched", "dispatched_on_time", "misdispatched"),
                      ("dispatch_on_time_rate", "accurate_dispatch_rate")),
}
POST_COLUMNS[Post.DISTRICT_OPERATOR] = POST_COLUMNS[Post.DISPATCHER]
SUMMARY = ("accepted", "opened", "dispatched", "due_to_close", "closed", "closed_on_time", "reworked", "extended")
BULLETIN_COLUMNS = ("accepted", "opened", "dispatched", "due_to_close", "closed", "closed_on_time", "reworked",
                    "extended")
