# The 回访 moves (follow_up, reopen) of the hotline console (issue 9): the events' action check takes them.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_attachment_evidence")]

    operations = [
        migrations.RemoveConstraint(
            model_name="caseevent",
            name="caseevent_action_valid",
        ),
        migrations.AddConstraint(
            model_name="caseevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("action__in", [
                    "report", "accept", "reject", "mark_duplicate", "send_verification", "verify", "refute", "open",
                    "void", "dispatch", "forward", "return_to_city", "refer", "take", "request_return",
                    "approve_return", "deny_return", "decide", "refer_up", "request_extension", "approve_extension",
                    "deny_extension", "request_park", "approve_park", "deny_park", "restore", "feedback",
                    "send_check", "pass_check", "rework", "close", "supervise", "settle_cost",
                    "erase_personal_data", "follow_up", "reopen",
                ])),
                name="caseevent_action_valid",
            ),
        ),
    ]
