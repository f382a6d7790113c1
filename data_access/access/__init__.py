"""Identity: users, sign-in sessions, permissions and the audit trail.

Every write in ``data_access`` takes the acting user (:class:`permissions.Actor`), checks
it with :func:`permissions.require` and records itself with :func:`audit.record`; every
query that returns person-level rows takes the user's :class:`permissions.Scope`.
"""
