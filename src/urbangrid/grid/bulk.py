"""The signal sent once for every bulk import (areas, components), written or refused.

Imports write with bulk statements that send no model signals, and the audit log sits above the
reference-data apps, which therefore cannot call it: the API app connects this signal to the audit log
(api/auditing.py). Arguments: what ("areas" or "components"), source (file name or "api:…"), fmt,
counts (dict), actor (a user or None), by (a command's operating-system user), object (optional).
"""

from django.dispatch import Signal

imported = Signal()
