"""Input types shared by the routers."""

from typing import Annotated

from pydantic import Field

# Ids and counts that reach a query: a larger number cannot be stored (SQLite and PostgreSQL bigint) and
# would make the database driver fail, so it is refused as invalid input (422) instead.
DbInt = Annotated[int, Field(ge=0, le=2**63 - 1)]
